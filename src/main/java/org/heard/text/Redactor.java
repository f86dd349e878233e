package org.heard.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
      + "|Crescent|Place|Pl|Grove|Terrace|Gardens|Row|Hill|Walk|Mews|Square|Parade|View|Rise|Green";
  private static final List<Rule> RULES = List.of(
      new Rule("[email]", Pattern.compile("[\\p{L}0-9._%+-]+@[\\p{L}0-9-]+(\\.[\\p{L}0-9-]+)+")),
      // Any run of digits with spaces, dashes, dots or brackets holding 9 to 13 digits: UK (07700 900123,
      // +44 20 7946 0000), Polish (+48 601 234 567) and other numbers alike.
      new Rule("[phone]", Pattern.compile("(?<![\\w+])\\+?\\(?\\d[\\d\\s().-]{7,18}\\d(?!\\w)")),
      new Rule("[postcode]", Pattern.compile("(?i)(?<![\\w])(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\\d[A-Z\\d]? ?\\d[ABD-HJLNP-UW-Z]{2})(?!\\w)")),
      new Rule("[postcode]", Pattern.compile("(?<![\\w-])\\d{2}-\\d{3}(?![\\w-])")),
      // UK current (AB12 CDE) and prefix (A123 BCD) plates, and Polish plates (WA 12345, KR 4FX21): capitals only.
      new Rule("[vehicle]", Pattern.compile("(?<![\\w])([A-Z]{2}\\d{2} ?[A-Z]{3}|[A-Z]\\d{1,3} ?[A-Z]{3}|[A-Z]{2,3} ?(?=[0-9A-Z]*\\d)[0-9A-Z]{4,5})(?!\\w)")),
      new Rule("[address]", Pattern.compile("(?i)(?:\\b(?:flat|apartment|no\\.?|number)\\s*\\d+[a-z]?,?\\s+)?\\b\\d{1,4}[a-z]?,?\\s+"
          + "(?:(?-i:[A-Z][\\p{L}'’-]+)\\s+){1,3}(?-i:" + STREET_WORDS + ")\\b\\.?")),
      new Rule("[address]", Pattern.compile("(?iu)\\b(?:ul\\.|ulica|ulicy|al\\.|os\\.)\\s*(?:\\p{Lu}[\\p{L}-]+\\s+){1,3}\\d+[a-z]?(?:/\\d+)?")));

  /** Titles that put a name after them: "Mr Smith", "PC Jones", "pani Nowak". */
  private static final Pattern TITLE = Pattern.compile("(?i)^(mr|mrs|ms|miss|mx|dr|pc|sgt|cllr|councillor|officer|pan|pani|panem|panią)\\.?$");
  /** A capitalised word followed by one of these names a place: "Victoria Park", "Grace Road". */
  private static final Set<String> PLACE_WORDS = Set.of("road", "rd", "street", "st", "avenue", "lane", "close",
      "drive", "way", "court", "crescent", "place", "grove", "terrace", "gardens", "row", "hill", "walk", "park",
      "square", "station", "school", "academy", "college", "centre", "center", "estate", "house", "hall", "church",
      "bridge", "green", "common", "field", "fields", "wood", "rec", "library", "hospital", "surgery", "shops",
      "parade", "mews", "view", "rise", "primary", "ward", "tower", "towers", "ulica", "osiedle");
  /** Listed first names that are also everyday words when capitalised at a sentence start or in titles. */
  private static final Set<String> NOT_NAMES = Set.of("will", "may", "june", "april", "august", "hope", "faith",
      "grace", "joy", "rose", "summer", "autumn", "dawn", "eve", "mark", "bill", "pat", "sunny", "crystal", "amber",
      "ruby", "holly", "ivy", "lily", "daisy", "jade", "pearl", "star", "sky", "rich", "guy", "art", "don", "ray",
      "gene", "chase", "hunter", "page", "drew", "wood", "young", "king", "love", "christian", "england", "london",
      "police", "council", "cannot", "help", "bus", "van", "car", "park", "lane", "lee", "chance", "major",
      "sergeant", "constable", "tak", "nie", "dobry", "marzec", "maj", "lipiec", "wiosna", "róża", "halo");

  private final FirstNames firstNames;

  Redactor(FirstNames firstNames) {
    this.firstNames = firstNames;
  }

  private record Found(int start, int end, String marker) {
  }

  String redact(String text, List<TextAnalyzer.Token> tokens, String language) {
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
    found.addAll(names(tokens, language));
    found.sort(Comparator.comparingInt(Found::start).thenComparing(Comparator.comparingInt(Found::end).reversed()));
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (Found item : found) {
      if (item.start < at) {
        continue;
      }
      out.append(text, at, item.start).append(item.marker);
      at = item.end;
    }
    return out.append(text.substring(at)).toString();
  }

  private static int digits(String value) {
    return (int) value.chars().filter(Character::isDigit).count();
  }

  private List<Found> names(List<TextAnalyzer.Token> tokens, String language) {
    List<Found> found = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      TextAnalyzer.Token token = tokens.get(i);
      boolean titled = i > 0 && TITLE.matcher(tokens.get(i - 1).text()).matches();
      if (!capitalised(token.text())) {
        continue;
      }
      boolean listed = firstNames.contains(token.text(), language) && !NOT_NAMES.contains(token.lower());
      boolean properNoun = token.tag() == null || token.tag().equals("PROPN")
          || (!token.sentenceStart() && !token.tag().equals("VERB") && !token.tag().equals("ADP"));
      if (!(titled || (listed && properNoun))) {
        continue;
      }
      int end = i;
      while (end + 1 < tokens.size() && capitalised(tokens.get(end + 1).text())
          && !PLACE_WORDS.contains(tokens.get(end + 1).lower()) && end - i < 2) {
        end++;
      }
      if (end + 1 < tokens.size() && PLACE_WORDS.contains(tokens.get(end + 1).lower())) {
        continue;
      }
      found.add(new Found(token.start(), tokens.get(end).end(), "[name]"));
      i = end;
    }
    return found;
  }

  private static boolean capitalised(String word) {
    return word.length() > 1 && Character.isUpperCase(word.codePointAt(0))
        && !word.equals(word.toUpperCase(Locale.ROOT));
  }
}
