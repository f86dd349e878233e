package org.heard.sms;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's webhook signature, as Twilio documents it: HMAC-SHA1, keyed with the account's auth
 * token, over the full request URL (as Twilio called it, query included) followed by every POST
 * parameter sorted by name (then by value, for repeated names; identical pairs once) as name + value
 * with no separators;
 * base64. Compared in constant time.
 */
public final class TwilioSignature {
  private static final Comparator<Map.Entry<String, String>> BY_NAME_THEN_VALUE =
      Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue());

  private TwilioSignature() {
  }

  /** The signature Twilio would send for this URL and these form parameters. */
  public static String compute(String authToken, String url, List<Map.Entry<String, String>> params) {
    StringBuilder data = new StringBuilder(url);
    // Twilio signs each distinct name/value pair once, as its SDKs' published vectors show.
    params.stream().map(p -> Map.entry(p.getKey(), p.getValue())).distinct().sorted(BY_NAME_THEN_VALUE)
        .forEach(p -> data.append(p.getKey()).append(p.getValue()));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
    }
  }

  /** Whether {@code signature} (the X-Twilio-Signature header) is right; a missing one never is. */
  public static boolean verify(String authToken, String url, List<Map.Entry<String, String>> params,
      String signature) {
    if (signature == null || signature.isEmpty() || authToken == null || authToken.isEmpty()) {
      return false;
    }
    byte[] expected = compute(authToken, url, params).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }
}
