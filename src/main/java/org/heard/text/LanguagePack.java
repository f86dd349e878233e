package org.heard.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import opennlp.tools.lemmatizer.LemmatizerModel;
import opennlp.tools.postag.POSModel;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.stemmer.snowball.SnowballStemmer;
import opennlp.tools.tokenize.TokenizerModel;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.pl.PolishAnalyzer;
import org.apache.lucene.analysis.stempel.StempelStemmer;

/**
 * What Heard can do with one language: the OpenNLP UD models found on the classpath (each may be
 * missing), a normaliser (OpenNLP's lemmatiser, else Snowball, else Stempel for Polish) and stop
 * words (Lucene's lists). Models are thread-safe; the OpenNLP tools built on them are not.
 */
record LanguagePack(
    String language,
    SentenceModel sentences,
    TokenizerModel tokens,
    POSModel pos,
    LemmatizerModel lemmas,
    SnowballStemmer.ALGORITHM snowball,
    boolean stempel,
    Set<String> stopWords) {

  /** The UD treebank each language's 1.3.0 models were trained on (their file names carry it). */
  private static final Map<String, String> TREEBANKS = Map.ofEntries(
      Map.entry("en", "ewt"), Map.entry("pl", "pdb"), Map.entry("de", "gsd"), Map.entry("fr", "gsd"),
      Map.entry("es", "gsd"), Map.entry("it", "vit"), Map.entry("nl", "alpino"), Map.entry("pt", "gsd"),
      Map.entry("ro", "rrt"), Map.entry("uk", "iu"), Map.entry("bg", "btb"), Map.entry("cs", "pdt"),
      Map.entry("da", "ddt"), Map.entry("fi", "tdt"), Map.entry("sv", "talbanken"), Map.entry("ru", "gsd"),
      Map.entry("hr", "set"), Map.entry("sk", "snk"), Map.entry("sl", "ssj"), Map.entry("sr", "set"),
      Map.entry("lv", "lvtb"), Map.entry("et", "edt"), Map.entry("el", "gdt"), Map.entry("eu", "bdt"));

  private static final Map<String, SnowballStemmer.ALGORITHM> SNOWBALL = Map.ofEntries(
      Map.entry("en", SnowballStemmer.ALGORITHM.ENGLISH), Map.entry("de", SnowballStemmer.ALGORITHM.GERMAN),
      Map.entry("fr", SnowballStemmer.ALGORITHM.FRENCH), Map.entry("es", SnowballStemmer.ALGORITHM.SPANISH),
      Map.entry("it", SnowballStemmer.ALGORITHM.ITALIAN), Map.entry("nl", SnowballStemmer.ALGORITHM.DUTCH),
      Map.entry("pt", SnowballStemmer.ALGORITHM.PORTUGUESE), Map.entry("ro", SnowballStemmer.ALGORITHM.ROMANIAN),
      Map.entry("ru", SnowballStemmer.ALGORITHM.RUSSIAN), Map.entry("da", SnowballStemmer.ALGORITHM.DANISH),
      Map.entry("fi", SnowballStemmer.ALGORITHM.FINNISH), Map.entry("sv", SnowballStemmer.ALGORITHM.SWEDISH),
      Map.entry("hu", SnowballStemmer.ALGORITHM.HUNGARIAN), Map.entry("no", SnowballStemmer.ALGORITHM.NORWEGIAN),
      Map.entry("tr", SnowballStemmer.ALGORITHM.TURKISH), Map.entry("el", SnowballStemmer.ALGORITHM.GREEK),
      Map.entry("ga", SnowballStemmer.ALGORITHM.IRISH), Map.entry("ca", SnowballStemmer.ALGORITHM.CATALAN));

  private static final Map<String, String> SNOWBALL_STOP_FILES = Map.ofEntries(
      Map.entry("en", "english"), Map.entry("de", "german"), Map.entry("fr", "french"), Map.entry("es", "spanish"),
      Map.entry("it", "italian"), Map.entry("nl", "dutch"), Map.entry("pt", "portuguese"), Map.entry("ru", "russian"),
      Map.entry("da", "danish"), Map.entry("fi", "finnish"), Map.entry("sv", "swedish"), Map.entry("hu", "hungarian"),
      Map.entry("no", "norwegian"));

  /** Models are immutable and thread-safe: one copy per process, however many analysers use them. */
  private static final ConcurrentHashMap<String, LanguagePack> LOADED =
      new ConcurrentHashMap<>();

  /** What exists for {@code language} (ISO 639-1), loaded once per process; fields are null where nothing exists. */
  static LanguagePack load(String language) {
    return LOADED.computeIfAbsent(language, LanguagePack::read);
  }

  private static LanguagePack read(String language) {
    String treebank = TREEBANKS.get(language);
    String prefix = "/opennlp-" + language + "-ud-" + treebank + "-";
    SentenceModel sentences = treebank == null ? null : read(prefix + "sentence-1.3-2.5.4.bin", SentenceModel::new);
    TokenizerModel tokens = treebank == null ? null : read(prefix + "tokens-1.3-2.5.4.bin", TokenizerModel::new);
    POSModel pos = treebank == null ? null : read(prefix + "pos-1.3-2.5.4.bin", POSModel::new);
    LemmatizerModel lemmas = treebank == null ? null : read(prefix + "lemmas-1.3-2.5.4.bin", LemmatizerModel::new);
    return new LanguagePack(language, sentences, tokens, pos, lemmas, SNOWBALL.get(language),
        language.equals("pl"), stopWords(language));
  }

  /** Whether any normaliser exists, so that comments in this language can be grouped by their words. */
  boolean analysable() {
    return tokens != null || snowball != null || stempel;
  }


  StempelStemmer newStempel() {
    return new StempelStemmer(PolishAnalyzer.getDefaultTable());
  }

  private static Set<String> stopWords(String language) {
    Set<String> words = new HashSet<>();
    try {
      CharArraySet set = null;
      if (SNOWBALL_STOP_FILES.containsKey(language)) {
        try (InputStream in = CharArraySet.class.getResourceAsStream(
            "/org/apache/lucene/analysis/snowball/" + SNOWBALL_STOP_FILES.get(language) + "_stop.txt")) {
          set = WordlistLoader.getSnowballWordSet(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
      } else if (language.equals("pl")) {
        set = PolishAnalyzer.getDefaultStopSet();
      } else {
        try (InputStream in = CharArraySet.class.getResourceAsStream(
            "/org/apache/lucene/analysis/" + language + "/stopwords.txt")) {
          if (in != null) {
            set = WordlistLoader.getWordSet(new InputStreamReader(in, StandardCharsets.UTF_8), "#",
                new CharArraySet(64, true));
          }
        }
      }
      if (set != null) {
        for (Object word : set) {
          words.add(new String((char[]) word).toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("stop words for " + language + " could not be read", e);
    }
    return Set.copyOf(words);
  }

  private interface ModelReader<T> {
    T read(InputStream in) throws IOException;
  }

  private static <T> T read(String resource, ModelReader<T> reader) {
    try (InputStream in = LanguagePack.class.getResourceAsStream(resource)) {
      return in == null ? null : reader.read(in);
    } catch (IOException e) {
      throw new IllegalStateException("OpenNLP model " + resource + " could not be read", e);
    }
  }

}
