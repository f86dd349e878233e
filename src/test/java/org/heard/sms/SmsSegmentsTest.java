package org.heard.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SMS segment counting for GSM-7 and UCS-2 messages. */
class SmsSegmentsTest {
  private static SmsSegments.Count count(String s) {
    return SmsSegments.count(s);
  }

  @Test
  void gsmTextFits160InOneSegmentAnd153PerPartAfterThat() {
    assertEquals(new SmsSegments.Count(SmsSegments.Encoding.GSM7, 160, 1), count("a".repeat(160)));
    assertEquals(2, count("a".repeat(161)).segments());
    assertEquals(2, count("a".repeat(306)).segments());
    assertEquals(3, count("a".repeat(307)).segments());
    assertEquals(1, count("").segments());
  }

  @Test
  void extensionCharactersTakeTwoSeptets() {
    SmsSegments.Count euro = count("€" + "a".repeat(158));
    assertEquals(SmsSegments.Encoding.GSM7, euro.encoding());
    assertEquals(160, euro.units());
    assertEquals(2, count("€€" + "a".repeat(157)).segments());
  }

  @Test
  void polishDiacriticsNeedUcs2With70And67() {
    SmsSegments.Count polish = count("Jak bezpiecznie czujesz się po zmroku?");
    assertEquals(SmsSegments.Encoding.UCS2, polish.encoding());
    assertEquals(1, count("ł".repeat(70)).segments());
    assertEquals(2, count("ł".repeat(71)).segments());
    assertEquals(2, count("ł".repeat(134)).segments());
    assertEquals(3, count("ł".repeat(135)).segments());
  }

  @Test
  void charactersOutsideTheBasicPlaneCountAsTwoUnits() {
    assertEquals(2, count("🙂").units());
    assertEquals(2, count("🙂".repeat(35) + "a").segments(), "71 UTF-16 units");
  }

  @Test
  void aTextTooLongIsCutAtAWordWithDotsThatKeepItsEncoding() {
    String english = "You said, we did: " + "the council fixed the street lights on Mill Lane ".repeat(10);
    String cut = SmsSegments.fit(english, 2);
    assertEquals(SmsSegments.Encoding.GSM7, count(cut).encoding(), "\"...\" keeps GSM-7 (\"…\" would not)");
    assertEquals(2, count(cut).segments());
    org.junit.jupiter.api.Assertions.assertTrue(cut.endsWith("Lane...") || cut.matches(".*[a-z]\\.\\.\\.$"), cut);
    org.junit.jupiter.api.Assertions.assertTrue(english.startsWith(cut.substring(0, cut.length() - 3)), "a beginning of it");
    org.junit.jupiter.api.Assertions.assertFalse(cut.substring(0, cut.length() - 3).endsWith(" "));
    String polish = "Mówiliście, zrobiliśmy: " + "rada naprawiła oświetlenie przy ulicy Młyńskiej ".repeat(5);
    String polishCut = SmsSegments.fit(polish, 2);
    assertEquals(SmsSegments.Encoding.UCS2, count(polishCut).encoding());
    assertEquals(2, count(polishCut).segments());
    assertEquals("Short and sweet.", SmsSegments.fit("Short and sweet.", 2), "what fits is left alone");
    String emoji = "🌑".repeat(200);
    String emojiCut = SmsSegments.fit(emoji, 2);
    assertEquals(2, count(emojiCut).segments());
    org.junit.jupiter.api.Assertions.assertTrue(emojiCut.startsWith("🌑") && emojiCut.endsWith("🌑..."),
        "a surrogate pair is never split: " + emojiCut.length());
  }
}
