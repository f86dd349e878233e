package org.heard.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.heard.text.SentenceEmbedder;
import org.heard.text.TextAnalysis;
import org.heard.text.TextAnalyzer;

/**
 * The loaded models: OpenNLP's language work and the sentence embedder. Loading takes a few
 * seconds, so it happens once, on a worker thread, after the server is listening.
 */
public final class Analysers {
  /** The sentence model is English-trained: other languages get vectors through a glossary. */
  public static final String VECTOR_LANGUAGE = "en";

  private final TextAnalyzer text;
  private final SentenceEmbedder embedder;

  public Analysers(Set<String> languages) {
    this.text = new TextAnalyzer(languages);
    this.embedder = new SentenceEmbedder();
  }

  public CommentAnalysis analyse(String comment, String formLanguage) {
    return analyse(text, embedder, comment, formLanguage);
  }

  /**
   * One comment's analysis: English comments get the sentence vector of their redacted text;
   * comments in a language with a glossary get the vector of their English gloss, and the gloss's
   * English terms beside their own, so they are themed with English comments. Without an
   * embedder, terms only.
   */
  public static CommentAnalysis analyse(TextAnalyzer text, SentenceEmbedder embedder, String comment,
                                        String formLanguage) {
    TextAnalysis analysis = text.analyze(comment, formLanguage);
    if (embedder == null || !analysis.analysed()) {
      return CommentAnalysis.of(analysis, null);
    }
    if (VECTOR_LANGUAGE.equals(analysis.language())) {
      return CommentAnalysis.of(analysis, embedder.embed(analysis.redacted()));
    }
    String gloss = text.englishGloss(analysis);
    if (gloss == null) {
      return CommentAnalysis.of(analysis, null);
    }
    List<String> terms = new ArrayList<>(analysis.terms());
    terms.addAll(text.analyzeEnglish(gloss).terms());
    return CommentAnalysis.of(new TextAnalysis(analysis.language(), analysis.confidence(), true, terms,
        analysis.keyPhrases(), analysis.surfaces(), analysis.redacted()), embedder.embed(gloss));
  }

  public void close() {
    embedder.close();
  }
}
