package org.heard.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in free text with typed markers before staff or exports see it:
 * {@code [email]}, {@code [phone]}, {@code [postcode]}, {@code [vehicle]}, {@code [address]} (a
 * house number with its street, which points at a home) and {@code [name]}. A street named
 * without a number stays: it says where a problem is, not who lives there.
 */
final class Redactor {
  private record Rule(String marker, Pattern pattern) {
  }

  private static final String STREET_WORDS = "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct"
      + "|Crescent|Place|Pl|Grove|Terrace|Gardens|Row|Hill|Walk|Mews|Square|Parade|View|Rise|Green|House|Bank"
      + "|Park|Fields|Heights|Villas|Cottages|Mansions|Buildings|Estate";
  /** Street words that are plain words too, so a lower-case "8 cedar close" is an address but "2 cars way" is not. */
  private static final String LOWER_STREET_WORDS = "road|rd|street|avenue|ave|lane|close|drive|crescent|terrace"
      + "|gardens|grove|mews";
  /** Counted things: "3 times down the road", "10 kids in the lane". */
  private static final String COUNTED = "times|minutes|mins|hours|days|weeks|months|years|people|kids|children"
      + "|lads|men|women|boys|girls|cars|bikes|vans|houses|doors|miles|yards|metres|pounds|quid|of|in|on|at|the|a|an"
      + "|and|or|to|down|up|from|for|by|near|past|along|round|around|off|into";
  private static final String EMAIL_USER = "[\\p{L}0-9._%+-]+";
  private static final String SPOKEN_AT = "(?:\\s+at\\s+|\\s*[(\\[]at[)\\]]\\s*|\\s+małpa\\s+)";
  private static final String SPOKEN_DOT = "(?:\\s+dot\\s+|\\s*[(\\[]dot[)\\]]\\s*|\\s+kropka\\s+|\\.)";
  private static final String TOP_LEVEL = "(?:com|co|uk|org|net|pl|ie|info|gov|ac|edu|io|me|biz|eu|de|fr|in|pk|ng)";
  private static final List<Rule> RULES = List.of(
      new Rule("[email]", Pattern.compile("[\\p{L}0-9._%+-]+@[\\p{L}0-9-]+(\\.[\\p{L}0-9-]+)+")),
      // Spoken forms: "jsmith at gmail dot com", "jane_doe(at)example(dot)com", "marek małpa wp kropka pl".
      new Rule("[email]", Pattern.compile("(?iu)(?:\\b\\p{L}+\\s+(?=\\p{L}+" + SPOKEN_AT + "))?" + EMAIL_USER
          + SPOKEN_AT + "[\\p{L}0-9-]+(?:" + SPOKEN_DOT + "[\\p{L}0-9-]+)*" + SPOKEN_DOT + TOP_LEVEL + "\\b")),
      // Any run of digits with spaces, dashes, dots or brackets holding 9 to 13 digits: UK (07700 900123,
      // +44 20 7946 0000), Polish (+48 601 234 567) and other numbers alike.
      new Rule("[phone]", Pattern.compile("(?<![\\w+])\\+?\\(?\\d[\\d\\s().-]{7,18}\\d(?!\\w)")),
      new Rule("[postcode]", Pattern.compile("(?i)(?<![\\w])(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\\d[A-Z\\d]? ?\\d[ABD-HJLNP-UW-Z]{2})(?!\\w)")),
      new Rule("[postcode]", Pattern.compile("(?<![\\w-])\\d{2}-\\d{3}(?![\\w-])")),
      // UK current plates in any case (AB12 CDE, ab12 cde); prefix plates (A123 BCD) and Polish plates
      // (WA 12345, KR 4FX21) in capitals only, as people write them.
      new Rule("[vehicle]", Pattern.compile("(?<![\\w])(?i:[A-Z]{2}\\d{2} ?[A-Z]{3})(?!\\w)")),
      new Rule("[vehicle]", Pattern.compile("(?<![\\w])([A-Z]\\d{1,3} ?[A-Z]{3}|[A-Z]{2,3} (?=[0-9A-Z]*\\d)[0-9A-Z]{4,5})(?!\\w)")),
      // A house number and its street: "17 Stanley Road" (a year is not a house number: "Since 2019 Mill Lane has..."),, "number 31 on Queens Drive", "Flat 4, Marlow House".
      new Rule("[address]", Pattern.compile("(?i)(?:\\b(?:flat|apartment|no\\.?|number|house)\\s*\\d+[a-z]?,?\\s+(?:(?:on|in|at|of)\\s+)?)?"
          + "\\b(?!(?:19|20)\\d\\d\\b)\\d{1,4}[a-z]?,?\\s+"
          + "(?:(?-i:[A-Z][\\p{L}'’-]+)\\s+){1,3}(?-i:" + STREET_WORDS + ")\\b\\.?")),
      new Rule("[address]", Pattern.compile("(?i)\\b(?:flat|apartment|no\\.?|number|house)\\s*\\d+[a-z]?,?\\s+(?:(?:on|in|at|of)\\s+)?"
          + "(?:(?-i:[A-Z][\\p{L}'’-]+)\\s+){1,3}(?-i:" + STREET_WORDS + ")\\b\\.?")),
      new Rule("[address]", Pattern.compile("(?<![\\w£$€.,])\\d{1,4}[a-z]?\\s+(?!(?:" + COUNTED + ")\\s)(?:[a-z][a-z'’-]+\\s+){1,2}"
          + "(?:" + LOWER_STREET_WORDS + ")\\b")),
      new Rule("[address]", Pattern.compile("(?iu)\\b(?:ul\\.|ulica|ulicy|al\\.|os\\.)\\s*(?:\\p{Lu}[\\p{L}-]+\\s+){1,3}\\d+[a-z]?(?:/\\d+)?")));

  private final NameFinder names;

  Redactor(PersonNames names) {
    this.names = new NameFinder(names);
  }

  /** One piece of personal data found: where it is and the marker that replaces it. */
  record Found(int start, int end, String marker) {
  }

  /** {@code text} with each piece of personal data {@link #find found} in it replaced by its marker. */
  static String apply(String text, List<Found> found) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (Found item : found) {
      out.append(text, at, item.start).append(item.marker);
      at = item.end;
    }
    return out.append(text.substring(at)).toString();
  }

  /** The personal data in {@code text}, in order and without overlaps. */
  List<Found> find(String text, List<TextAnalyzer.Token> tokens, String language, Set<String> stopWords) {
    List<Found> found = new ArrayList<>();
    for (Rule rule : RULES) {
      Matcher matcher = rule.pattern.matcher(text);
      while (matcher.find()) {
        if (rule.marker.equals("[phone]") && (digits(matcher.group()) < 9 || digits(matcher.group()) > 13)) {
          continue;
        }
        found.add(new Found(matcher.start(), matcher.end(), rule.marker));
      }
    }
    found.addAll(names.find(tokens, language, stopWords));
    found.sort(Comparator.comparingInt(Found::start).thenComparing(Comparator.comparingInt(Found::end).reversed()));
    List<Found> kept = new ArrayList<>();
    int at = 0;
    for (Found item : found) {
      if (item.start >= at) {
        kept.add(item);
        at = item.end;
      }
    }
    return kept;
  }

  private static int digits(String value) {
    return (int) value.chars().filter(Character::isDigit).count();
  }
}
