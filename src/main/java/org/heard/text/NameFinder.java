package org.heard.text;

import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds people's names among a comment's tokens. There is no person-name model for OpenNLP, so a
 * name is recognised from evidence: a title before it ("Mr", "PC", "pani"), a word that introduces
 * a person ("called", "my neighbour"), a first name followed by a surname, or a capitalised name
 * from the lists that is not also a frequent word. What would make a place or a shop of it (a
 * street or shop word after it) or an ordinary word of it (a month, a stop word, a common word at
 * the start of a sentence) counts against.
 */
final class NameFinder {
  /** Titles that put a name after them: "Mr Smith", "PC Jones", "pani Nowak". */
  private static final Pattern TITLE = Pattern.compile("(?i)(mr|mrs|ms|miss|mx|dr|pc|pcso|sgt|cllr|pan|pani|pana"
      + "|panem|panią|panu|panie)\\.?");
  /** Titles that are everyday words too ("my sister lives..."): a capitalised name must follow. */
  private static final Pattern WORD_TITLE = Pattern.compile("(?i)(councillor|officer|father|rev|reverend|sister"
      + "|brother|imam|pastor|aunty|auntie|uncle|doctor|nurse|detective|inspector|constable|sergeant)\\.?");
  /** Words after which a capitalised word (or an unlisted lower-case one) is a person. */
  private static final Set<String> PERSON_CUES = Set.of("called", "named", "neighbour", "neighbours", "son",
      "daughter", "husband", "wife", "partner", "brother", "sister", "friend", "mate", "mum", "dad", "mother",
      "father", "uncle", "auntie", "aunt", "cousin", "nephew", "niece", "grandson", "granddaughter", "nan", "landlord",
      "landlady", "tenant", "boyfriend", "girlfriend", "driver", "lad", "bloke", "guy", "girl", "boy", "kid",
      "sąsiad", "sąsiadka", "syn", "córka", "mąż", "żona", "brat", "siostra", "kolega", "koleżanka");
  /** Verbs (and "from", "who") that make an unlisted capitalised word at a sentence start a person. */
  private static final Set<String> PERSON_NEXT = Set.of("from", "who", "says", "said", "told", "asked", "thinks",
      "reckons", "runs", "ran", "keeps", "kept", "lives", "lived", "sells", "deals", "organised", "organises",
      "complained", "reported", "wants", "helps", "helped", "drives", "plays", "shouted", "attacked", "punched",
      "lost", "sleeps", "feeds", "got", "works", "saw", "heard", "knows", "was", "has", "had", "mówi", "powiedział", "powiedziała", "widział", "widziała");
  /** Words that follow a listed name at a sentence start as they follow a person: "Winston at the barbers". */
  private static final Set<String> LISTED_PERSON_NEXT = Set.of("and", "at", "on", "in", "with", "&");
  /** Before these a capitalised pair is more likely a place ("at Beaumont Leys") unless both halves are listed. */
  private static final Set<String> PLACE_PREPOSITIONS = Set.of("at", "in", "near", "on", "around", "outside",
      "behind", "opposite", "past", "towards", "into", "off", "along", "across", "through", "round", "w", "na", "przy");
  /** Polish words after a listed name at a sentence start that make it a person: "Tomek z trzeciego piętra". */
  private static final Set<String> POLISH_PERSON_NEXT = Set.of("z", "ze", "i", "oraz", "mówi", "powiedział",
      "powiedziała", "ma", "był", "była", "jest", "codziennie", "ciągle", "zawsze");
  /** A capitalised word followed by one of these names a place, a shop or a group. */
  private static final Set<String> PLACE_WORDS = Set.of("road", "rd", "street", "st", "avenue", "ave", "lane",
      "close", "drive", "way", "court", "crescent", "place", "grove", "terrace", "gardens", "row", "hill", "walk",
      "park", "square", "station", "school", "academy", "college", "centre", "center", "estate", "house", "hall",
      "church", "bridge", "green", "common", "field", "fields", "wood", "rec", "library", "hospital", "surgery",
      "shops", "parade", "mews", "view", "rise", "primary", "ward", "tower", "towers", "bank", "street's",
      "shop", "store", "stores", "supermarket", "newsagent", "newsagents", "garage", "motors", "takeaway", "cafe",
      "café", "restaurant", "kitchen", "barbers", "pharmacy", "chemist", "bakery", "butchers", "grocers",
      "brothers", "express", "mosque", "temple", "gurdwara", "mandir", "club", "pub", "arms", "inn", "lion",
      "trust", "foundation", "association", "group", "ulica", "ulicy", "osiedle", "osiedlu", "sklep", "szkoła");
  /** Listed names that are ordinary words wherever they stand. */
  private static final Set<String> NOT_NAMES = Set.of("police", "council", "cannot", "help", "bus", "van", "car",
      "park", "lane", "chance", "major", "sergeant", "constable", "year", "asian", "black", "white", "british",
      "english", "polish", "irish", "african", "muslim", "christian", "jewish", "sikh", "hindu", "covid", "nhs",
      "tak", "nie", "dobry", "halo", "proszę", "dziękuję");

  private final PersonNames names;
  private final Set<String> calendarWords;

  NameFinder(PersonNames names) {
    this.names = names;
    this.calendarWords = calendarWords();
  }

  /** Month and day names in English and Polish, in every form java.time knows (they are never names here). */
  private static Set<String> calendarWords() {
    Set<String> words = new HashSet<>();
    for (Locale locale : List.of(Locale.ENGLISH, Locale.forLanguageTag("pl"))) {
      for (TextStyle style : TextStyle.values()) {
        for (Month month : Month.values()) {
          words.add(month.getDisplayName(style, locale).toLowerCase(locale));
        }
        for (DayOfWeek day : DayOfWeek.values()) {
          words.add(day.getDisplayName(style, locale).toLowerCase(locale));
        }
      }
    }
    return Set.copyOf(words);
  }

  List<Redactor.Found> find(List<TextAnalyzer.Token> tokens, String language, Set<String> stopWords) {
    List<Redactor.Found> found = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (!startsName(tokens, i, language, stopWords)) {
        continue;
      }
      int end = i;
      if (!capitalised(tokens.get(i).text())) {
        // "siobhan murphy", "mr patel": a lower-case name takes at most its surname with it.
        if (i + 1 < tokens.size() && wordLike(tokens.get(i + 1), stopWords)
            && pairsWith(tokens.get(i), tokens.get(i + 1), language)) {
          end++;
        }
      }
      while (capitalised(tokens.get(i).text()) && end + 1 < tokens.size() && end - i < 2
          && continuesName(tokens.get(end + 1), language, stopWords)) {
        end++;
      }
      if (placeAfter(tokens, end)) {
        i = end;
        continue;
      }
      found.add(new Redactor.Found(tokens.get(i).start(), tokens.get(end).end(), "[name]"));
      i = end;
    }
    return found;
  }

  private boolean startsName(List<TextAnalyzer.Token> tokens, int i, String language, Set<String> stopWords) {
    TextAnalyzer.Token token = tokens.get(i);
    if (!wordLike(token, stopWords)) {
      return false;
    }
    TextAnalyzer.Token previous = i > 0 ? tokens.get(i - 1) : null;
    TextAnalyzer.Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
    boolean capital = capitalised(token.text());
    boolean first = names.first(token.text(), language);
    boolean listed = first || names.last(token.text(), language);
    boolean frequent = names.frequent(token.text());
    boolean properNoun = token.tag() == null || token.tag().equals("PROPN");
    boolean personNext = next != null && PERSON_NEXT.contains(next.lower());
    if (previous != null && TITLE.matcher(previous.text()).matches()) {
      return true;
    }
    if (previous != null && WORD_TITLE.matcher(previous.text()).matches() && capitalised(previous.text()) && capital) {
      return true;
    }
    if (previous != null && PERSON_CUES.contains(previous.lower()) && (capital || (listed && !frequent))) {
      return !PLACE_WORDS.contains(token.lower());
    }
    if (PLACE_WORDS.contains(token.lower()) || (previous != null && previous.lower().equals("the"))) {
      return false;
    }
    boolean pairs = next != null && wordLike(next, stopWords) && pairsWith(token, next, language)
        && (previous == null || !PLACE_PREPOSITIONS.contains(previous.lower())
            || (first && names.last(next.text(), language)));
    if (!capital) {
      return pairs;
    }
    if (pairs) {
      return true;
    }
    if (listed && !frequent) {
      // At a sentence start a capital proves nothing: "Sandeep from the flats", "Priya reported", not "Amber alerts".
      boolean verbNext = next != null && next.tag() != null && (next.tag().equals("VERB") || next.tag().equals("AUX"));
      boolean polishNext = next != null && "pl".equals(language) && POLISH_PERSON_NEXT.contains(next.lower());
      boolean weakNext = next != null && LISTED_PERSON_NEXT.contains(next.lower());
      return !token.sentenceStart() || personNext || weakNext || (first && verbNext) || polishNext;
    }
    // Inside a capitalised run ("the Red Lion") a word is part of a place or a business name.
    boolean afterCapital = previous != null && !token.sentenceStart() && capitalised(previous.text());
    if (first && capitalised(next == null ? "" : next.text()) && !names.frequent(next.text())
        && !PLACE_WORDS.contains(next.lower()) && runActsLikePerson(tokens, i)) {
      return true; // "Grace Okoro lost her purse"
    }
    if (first) {
      // "Ruby" or "Grace": a first name as a proper noun inside a sentence, never "Rose bushes",
      // "Mark my words" or "a silver Ford Focus".
      return !token.sentenceStart() && !afterCapital && "PROPN".equals(token.tag())
          && (next == null || !capitalised(next.text()));
    }
    // Not listed: a rare capitalised word, alone or with a second one, that acts like a person:
    // "Seamus who drives the taxi", "Tendai Moyo says".
    return !frequent && !afterCapital && (token.sentenceStart() || properNoun) && runActsLikePerson(tokens, i);
  }

  /**
   * Whether the capitalised run starting at {@code i} (up to two words, or two such runs joined by
   * "and": "Shabana and Rizwan run the club") is followed by a person's verb.
   */
  private boolean runActsLikePerson(List<TextAnalyzer.Token> tokens, int i) {
    int after = skipRun(tokens, i);
    if (after + 1 < tokens.size() && (tokens.get(after).lower().equals("and") || tokens.get(after).text().equals("&"))
        && capitalised(tokens.get(after + 1).text()) && !names.frequent(tokens.get(after + 1).text())) {
      after = skipRun(tokens, after + 1);
    }
    if (after >= tokens.size()) {
      return false;
    }
    TextAnalyzer.Token next = tokens.get(after);
    return PERSON_NEXT.contains(next.lower()) || (after > i + 1 && "VERB".equals(next.tag()));
  }

  private int skipRun(List<TextAnalyzer.Token> tokens, int i) {
    int after = i + 1;
    if (after < tokens.size() && capitalised(tokens.get(after).text()) && !names.frequent(tokens.get(after).text())
        && !PLACE_WORDS.contains(tokens.get(after).lower())) {
      after++;
    }
    return after;
  }

  /**
   * "Imran Khan", "Delroy Campbell", "siobhan murphy": two name-like words with a listed surname or a
   * listed rare name. In lower case both must be rare words and the second a listed surname.
   */
  private boolean pairsWith(TextAnalyzer.Token token, TextAnalyzer.Token next, String language) {
    boolean capital = capitalised(token.text());
    if (capital != capitalised(next.text()) || PLACE_WORDS.contains(next.lower())) {
      return false;
    }
    boolean firstListed = names.first(token.text(), language) || names.last(token.text(), language);
    boolean nextListed = names.last(next.text(), language) || names.first(next.text(), language);
    boolean tokenRare = !names.frequent(token.text());
    boolean nextRare = !names.frequent(next.text());
    if (!capital) {
      // "overflowing bins" is no person: a word the lemmatiser knows as an inflected form
      // ("overflowing" to "overflow") is not a first name.
      if (token.norm() != null && "en".equals(language) && !token.norm().equals(token.lower())) {
        return false;
      }
      boolean surname = names.last(next.text(), language);
      return surname && (tokenRare || nextRare) && (names.first(token.text(), language)
          || ("en".equals(language) && tokenRare && nextRare));
    }
    return (firstListed && tokenRare) || (nextListed && nextRare) || (tokenRare && names.last(next.text(), language))
        || (names.first(token.text(), language) && names.last(next.text(), language));
  }

  private boolean continuesName(TextAnalyzer.Token token, String language, Set<String> stopWords) {
    return capitalised(token.text()) && wordLike(token, stopWords) && !PLACE_WORDS.contains(token.lower())
        && (names.first(token.text(), language) || names.last(token.text(), language) || !names.frequent(token.text()));
  }

  /** "Victoria Road", "Patel's Newsagents", "Khan Brothers": a place or a business, not a person. */
  private static boolean placeAfter(List<TextAnalyzer.Token> tokens, int end) {
    int at = end + 1;
    if (at < tokens.size() && (tokens.get(at).lower().equals("'s") || tokens.get(at).lower().equals("’s"))) {
      at++;
    }
    return at < tokens.size() && PLACE_WORDS.contains(tokens.get(at).lower());
  }

  private boolean wordLike(TextAnalyzer.Token token, Set<String> stopWords) {
    String lower = token.lower();
    return token.text().length() > 1 && Character.isLetter(token.text().codePointAt(0))
        && !stopWords.contains(lower) && !NOT_NAMES.contains(lower) && !calendarWords.contains(lower)
        && !TITLE.matcher(token.text()).matches();
  }

  static boolean capitalised(String word) {
    return word.length() > 1 && Character.isUpperCase(word.codePointAt(0))
        && !word.equals(word.toUpperCase(Locale.ROOT));
  }
}
