package org.heard.analysis;

import java.util.Set;
import org.heard.text.SentenceEmbedder;
import org.heard.text.TextAnalysis;
import org.heard.text.TextAnalyzer;

/**
 * The loaded models: OpenNLP's language work and the sentence embedder. Loading takes a few
 * seconds, so it happens once, on a worker thread, after the server is listening.
 */
public final class Analysers {
  /** Sentence vectors exist for English only (the model is English-trained). */
  public static final String VECTOR_LANGUAGE = "en";

  private final TextAnalyzer text;
  private final SentenceEmbedder embedder;

  public Analysers(Set<String> languages) {
    this.text = new TextAnalyzer(languages);
    this.embedder = new SentenceEmbedder();
  }

  public CommentAnalysis analyse(String comment, String formLanguage) {
    TextAnalysis analysis = text.analyze(comment, formLanguage);
    float[] vector = analysis.analysed() && VECTOR_LANGUAGE.equals(analysis.language())
        ? embedder.embed(analysis.redacted()) : null;
    return CommentAnalysis.of(analysis, vector);
  }

  public void close() {
    embedder.close();
  }
}
