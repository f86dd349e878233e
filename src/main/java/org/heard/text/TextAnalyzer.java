package org.heard.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.lemmatizer.LemmatizerME;
import opennlp.tools.postag.POSTagFormat;
import opennlp.tools.postag.POSTaggerME;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.stemmer.snowball.SnowballStemmer;
import opennlp.tools.tokenize.SimpleTokenizer;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.util.Span;
import org.apache.lucene.analysis.stempel.StempelStemmer;

/**
 * The per-comment language work: language detection, sentences, tokens, UD part-of-speech tags,
 * lemmas (else stems), stop words, key phrases and redaction. Thread-safe: the models are shared,
 * the OpenNLP tools (which are not thread-safe) are kept per thread. CPU-bound: call it from a
 * worker, never from an event loop.
 */
public final class TextAnalyzer {
  /** Below this the detector is guessing (one short sentence gives about 0.1). */
  private static final double CONFIDENT = 0.5;
  private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{M}'’-]*");
  private static final Set<String> PHRASE_TAGS = Set.of("NOUN", "PROPN", "ADJ");
  private static final Pattern MARKER = Pattern.compile("\\[[a-z]+\\]");

  private final LanguageDetectorModel detectorModel;
  private final Map<String, LanguagePack> packs = new ConcurrentHashMap<>();
  // Models are shared per process (see LanguagePack.load); the OpenNLP tools on them are per thread.
  private final ThreadLocal<Map<String, Tools>> tools = ThreadLocal.withInitial(HashMap::new);
  private final ThreadLocal<LanguageDetectorME> detector;
  private final Redactor redactor;
  private final Map<String, Glossary> glossaries = new ConcurrentHashMap<>();

  public TextAnalyzer(Set<String> preload) {
    detectorModel = DetectorModel.INSTANCE;
    detector = ThreadLocal.withInitial(() -> new LanguageDetectorME(detectorModel));
    redactor = new Redactor(PersonNames.shared());
    preload.forEach(this::pack);
  }

  /** The language detector's model: large, immutable and thread-safe, so loaded once per process. */
  private static final class DetectorModel {
    static final LanguageDetectorModel INSTANCE = load();

    private static LanguageDetectorModel load() {
      try (InputStream in = TextAnalyzer.class.getResourceAsStream("/langdetect-183.bin")) {
        if (in == null) {
          throw new IllegalStateException("the OpenNLP language detector model is not on the classpath");
        }
        return new LanguageDetectorModel(in);
      } catch (IOException e) {
        throw new IllegalStateException("the OpenNLP language detector model could not be read", e);
      }
    }
  }

  /** Analyses one comment; {@code formLanguage} is the language the person answered the form in. */
  public TextAnalysis analyze(String text, String formLanguage) {
    String clean = text == null ? "" : text.strip();
    return analyze(clean, detect(clean, formLanguage));
  }

  /** Analyses English text without detecting its language (an English gloss, say). */
  public TextAnalysis analyzeEnglish(String text) {
    return analyze(text.strip(), new Detected("en", 1));
  }

  private TextAnalysis analyze(String clean, Detected detected) {
    LanguagePack pack = pack(detected.language);
    List<Token> tokens = tokens(clean, pack);
    List<Redactor.Found> personal = redactor.find(clean, tokens, detected.language, pack.stopWords());
    String redacted = Redactor.apply(clean, personal);
    if (!pack.analysable()) {
      return new TextAnalysis(detected.language, detected.confidence, false, List.of(), List.of(), List.of(), redacted);
    }
    List<String> terms = new ArrayList<>();
    List<String> phrases = new ArrayList<>();
    List<String> surfaces = new ArrayList<>();
    List<String> run = new ArrayList<>();
    List<String> runSurface = new ArrayList<>();
    List<String> runTags = new ArrayList<>();
    for (Token token : tokens) {
      if (inside(token, personal)) {
        // Terms and key phrases, and so theme labels, come from the redacted text only.
        flushPhrase(run, runSurface, runTags, phrases, surfaces);
        continue;
      }
      String norm = token.norm;
      boolean content = norm != null && !pack.stopWords().contains(token.lower) && !pack.stopWords().contains(norm)
          && WORD.matcher(token.text).matches() && norm.length() > 1;
      if (content) {
        terms.add(norm);
      }
      boolean phraseWord = content && (token.tag == null || PHRASE_TAGS.contains(token.tag));
      if (phraseWord) {
        run.add(norm);
        runSurface.add(token.lower);
        runTags.add(token.tag);
      } else {
        flushPhrase(run, runSurface, runTags, phrases, surfaces);
      }
    }
    flushPhrase(run, runSurface, runTags, phrases, surfaces);
    return new TextAnalysis(detected.language, detected.confidence, true, terms, phrases, surfaces, redacted);
  }

  /**
   * An English rendering of an analysed comment in another language, word by word through its
   * glossary (see {@link Glossary}), for an English sentence vector; null when the language has no
   * glossary or too little of the comment is in it (fewer than two of its content words, or under a
   * third; a one-word comment needs its word).
   */
  public String englishGloss(TextAnalysis analysis) {
    if (!analysis.analysed() || "en".equals(analysis.language())) {
      return null;
    }
    LanguagePack pack = pack(analysis.language());
    Tools t = tools.get().computeIfAbsent(pack.language(), key -> new Tools(pack));
    Glossary glossary = glossaries.computeIfAbsent(pack.language(), language -> Glossary.load(language, word -> stem(word, t)));
    if (glossary.isEmpty()) {
      return null;
    }
    List<String> english = new ArrayList<>();
    int content = 0;
    // Markers ("[name]") are not the comment's words.
    for (Token token : tokens(MARKER.matcher(analysis.redacted()).replaceAll(" "), pack)) {
      if (token.norm == null || !WORD.matcher(token.text).matches() || pack.stopWords().contains(token.lower)) {
        continue;
      }
      content++;
      String word = glossary.english(token.lower, token.norm, stem(token.lower, t));
      if (word != null) {
        english.add(word);
      }
    }
    boolean enough = english.size() >= 2 ? english.size() * 3 >= content : english.size() == 1 && content == 1;
    return enough ? String.join(" ", english) : null;
  }

  private static boolean inside(Token token, List<Redactor.Found> personal) {
    for (Redactor.Found found : personal) {
      if (token.start < found.end() && found.start() < token.end) {
        return true;
      }
    }
    return false;
  }

  /**
   * The personal data redaction would remove from {@code text}, each as its marker and what it
   * covers ("[name] Mrs Patel"): for checking text staff write for the public before it is published.
   */
  public List<String> personalDataIn(String text, String formLanguage) {
    String clean = text == null ? "" : text.strip();
    List<String> found = new ArrayList<>();
    for (Redactor.Found item : personalData(clean, formLanguage)) {
      found.add(item.marker() + " " + clean.substring(item.start(), item.end()));
    }
    return found;
  }

  /** Where the personal data in one comment is, as redaction finds it (for measuring redaction). */
  List<Redactor.Found> personalData(String text, String formLanguage) {
    String clean = text.strip();
    Detected detected = detect(clean, formLanguage);
    LanguagePack pack = pack(detected.language);
    return redactor.find(clean, tokens(clean, pack), detected.language, pack.stopWords());
  }

  /** A noun phrase ends in a noun; an ADJ-only run is not a phrase. Runs longer than 4 keep their last 4 words. */
  private static void flushPhrase(List<String> run, List<String> runSurface, List<String> tags,
                                  List<String> phrases, List<String> surfaces) {
    int end = run.size();
    while (end > 0 && tags.get(end - 1) != null && tags.get(end - 1).equals("ADJ")) {
      end--;
    }
    if (end > 0) {
      int start = Math.max(0, end - 4);
      phrases.add(String.join(" ", run.subList(start, end)));
      surfaces.add(String.join(" ", runSurface.subList(start, end)));
    }
    run.clear();
    runSurface.clear();
    tags.clear();
  }

  private record Detected(String language, double confidence) {
  }

  private Detected detect(String text, String formLanguage) {
    if (text.isEmpty()) {
      return new Detected(formLanguage, 0);
    }
    Language[] languages = detector.get().predictLanguages(text);
    String best = iso1(languages[0].getLang());
    double confidence = languages[0].getConfidence();
    // English is written without letters beyond Latin-1: "Włamano się do domu" on the English form
    // is not English however unsure the detector is.
    boolean notEnglish = "en".equals(formLanguage) && text.codePoints().anyMatch(c -> Character.isLetter(c) && c > 0xFF);
    if (confidence >= CONFIDENT || formLanguage == null || notEnglish) {
      return new Detected(best, confidence);
    }
    // A short comment: trust the form's language when the detector also finds it plausible.
    for (int i = 0; i < Math.min(5, languages.length); i++) {
      if (iso1(languages[i].getLang()).equals(formLanguage)) {
        return new Detected(formLanguage, languages[i].getConfidence());
      }
    }
    return new Detected(best, confidence);
  }

  /** The detector speaks ISO 639-3 ("eng", "pol"); everything else in Heard speaks 639-1. */
  static String iso1(String iso3) {
    String code = new Locale(iso3).getLanguage();
    for (String iso1 : Locale.getISOLanguages()) {
      Locale locale = new Locale(iso1);
      try {
        if (locale.getISO3Language().equals(code)) {
          return iso1;
        }
      } catch (RuntimeException ignored) {
        // Some locales have no three-letter code.
      }
    }
    return code;
  }

  private LanguagePack pack(String language) {
    return packs.computeIfAbsent(language == null ? "und" : language, LanguagePack::load);
  }

  /** One token with its tag and normal form. */
  record Token(String text, String lower, String tag, String norm, int start, int end, boolean sentenceStart) {
  }

  private static final class Tools {
    final SentenceDetectorME sentences;
    final TokenizerME tokenizer;
    final POSTaggerME tagger;
    final LemmatizerME lemmatizer;
    final SnowballStemmer snowball;
    final StempelStemmer stempel;

    Tools(LanguagePack pack) {
      sentences = pack.sentences() == null ? null : new SentenceDetectorME(pack.sentences());
      tokenizer = pack.tokens() == null ? null : new TokenizerME(pack.tokens());
      tagger = pack.pos() == null ? null : new POSTaggerME(pack.pos(), POSTagFormat.UD);
      lemmatizer = pack.lemmas() == null ? null : new LemmatizerME(pack.lemmas());
      snowball = pack.snowball() == null ? null : new SnowballStemmer(pack.snowball());
      stempel = pack.stempel() ? pack.newStempel() : null;
    }
  }

  private List<Token> tokens(String text, LanguagePack pack) {
    Tools t = tools.get().computeIfAbsent(pack.language(), key -> new Tools(pack));
    List<Token> out = new ArrayList<>();
    Span[] sentenceSpans = t.sentences == null ? new Span[] {new Span(0, text.length())} : t.sentences.sentPosDetect(text);
    for (Span sentenceSpan : sentenceSpans) {
      String sentence = sentenceSpan.getCoveredText(text).toString();
      Span[] spans = joinHyphens(sentence,
          t.tokenizer == null ? SimpleTokenizer.INSTANCE.tokenizePos(sentence) : t.tokenizer.tokenizePos(sentence));
      String[] words = new String[spans.length];
      for (int i = 0; i < spans.length; i++) {
        words[i] = stripTrailingStop(spans[i].getCoveredText(sentence).toString());
      }
      String[] tags = t.tagger == null ? null : t.tagger.tag(words);
      String[] lemmas = t.lemmatizer == null || tags == null ? null : t.lemmatizer.lemmatize(words, tags);
      for (int i = 0; i < words.length; i++) {
        String lower = words[i].toLowerCase(Locale.ROOT);
        String norm = normalise(lower, lemmas == null ? null : lemmas[i], t);
        int start = sentenceSpan.getStart() + spans[i].getStart();
        out.add(new Token(words[i], lower, tags == null ? null : tags[i], norm, start, start + words[i].length(), i == 0));
      }
    }
    return out;
  }

  private static String normalise(String lower, String lemma, Tools t) {
    if (lemma != null && !lemma.equals("O") && !lemma.isBlank()) {
      return lemma.toLowerCase(Locale.ROOT);
    }
    return stem(lower, t);
  }

  private static String stem(String lower, Tools t) {
    if (t.snowball != null) {
      return t.snowball.stem(lower).toString();
    }
    if (t.stempel != null) {
      StringBuilder stem = t.stempel.stem(lower);
      return stem == null || stem.length() == 0 ? lower : stem.toString();
    }
    return lower;
  }

  /** "fly-tipping" is one word to residents; the UD tokeniser splits it into three tokens. */
  private static Span[] joinHyphens(String sentence, Span[] spans) {
    List<Span> joined = new ArrayList<>();
    for (int i = 0; i < spans.length; i++) {
      Span span = spans[i];
      while (i + 2 < spans.length && spans[i + 1].getCoveredText(sentence).toString().equals("-")
          && spans[i + 1].getStart() == span.getEnd() && spans[i + 2].getStart() == spans[i + 1].getEnd()) {
        span = new Span(span.getStart(), spans[i + 2].getEnd());
        i += 2;
      }
      joined.add(span);
    }
    return joined.toArray(Span[]::new);
  }

  /** The tokeniser sometimes leaves a sentence's final full stop on its last word. */
  private static String stripTrailingStop(String word) {
    return word.length() > 1 && word.endsWith(".") && Character.isLetter(word.charAt(word.length() - 2))
        && word.indexOf('.') == word.length() - 1 ? word.substring(0, word.length() - 1) : word;
  }
}
