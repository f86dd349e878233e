package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Twilio's webhook signature against Twilio's own published example, and forgeries. */
class TwilioSignatureTest {
  // The worked example in Twilio's request-validation documentation and its SDKs' tests.
  private static final String TOKEN = "12345";
  private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final String PUBLISHED = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

  private static List<Map.Entry<String, String>> params() {
    return new ArrayList<>(List.of(Map.entry("CallSid", "CA1234567890ABCDE"), Map.entry("Caller", "+14158675309"),
        Map.entry("Digits", "1234"), Map.entry("From", "+14158675309"), Map.entry("To", "+18005551212")));
  }

  @Test
  void reproducesTwiliosPublishedExample() {
    assertEquals(PUBLISHED, TwilioSignature.compute(TOKEN, URL, params()));
    assertTrue(TwilioSignature.verify(TOKEN, URL, params(), PUBLISHED));
  }

  @Test
  void parameterOrderOnTheWireDoesNotMatter() {
    List<Map.Entry<String, String>> reordered = params();
    Collections.reverse(reordered);
    assertTrue(TwilioSignature.verify(TOKEN, URL, reordered, PUBLISHED));
  }

  @Test
  void repeatedParametersAreSortedByValueAndIdenticalPairsCountOnce() {
    // Published alongside the first vector by Twilio's SDK tests.
    List<Map.Entry<String, String>> repeated = List.of(Map.entry("Sid", "CA123"), Map.entry("SidAccount", "AC123"),
        Map.entry("Digits", "5678"), Map.entry("Digits", "1234"), Map.entry("Digits", "1234"));
    assertEquals("IK+Dwps556ElfBT0I3Rgjkr1wJU=", TwilioSignature.compute(TOKEN, URL, repeated));
  }

  @Test
  void forgeriesAreRefused() {
    List<Map.Entry<String, String>> tampered = params();
    tampered.set(2, Map.entry("Digits", "9999"));
    assertFalse(TwilioSignature.verify(TOKEN, URL, tampered, PUBLISHED), "a changed value");
    List<Map.Entry<String, String>> added = params();
    added.add(Map.entry("Body", "STOP"));
    assertFalse(TwilioSignature.verify(TOKEN, URL, added, PUBLISHED), "an added parameter");
    assertFalse(TwilioSignature.verify(TOKEN, URL + "&x=1", params(), PUBLISHED), "another URL");
    assertFalse(TwilioSignature.verify("other-token", URL, params(), PUBLISHED), "another token");
    assertFalse(TwilioSignature.verify(TOKEN, URL, params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8"), "a cut signature");
    assertFalse(TwilioSignature.verify(TOKEN, URL, params(), null), "no signature");
    assertFalse(TwilioSignature.verify(TOKEN, URL, params(), "invalid 王"), "garbage");
    assertFalse(TwilioSignature.verify("", URL, params(), PUBLISHED), "no token configured");
  }
}
