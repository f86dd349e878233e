package org.heard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.text.TextAnalysis;

/**
 * The analysis of one free-text answer as stored on its response, under
 * {@code analysis.<questionId>}. The sentence vector is kept as int8 (base64 in the database):
 * 384 bytes instead of kilobytes, in memory too, and cosines move by well under 1%.
 */
public record CommentAnalysis(TextAnalysis text, byte[] quantized) {
  /**
   * The text analysis's version, stored on each response as {@code analysisVersion}: raised when
   * redaction or the terms change, so responses analysed before are analysed again at start-up.
   * 2: names from every datafaker locale, spoken emails, terms and key phrases without redacted words.
   * 3: comments in a language with a glossary get the vector and terms of their English gloss.
   */
  public static final int VERSION = 3;

  /** An analysis with its vector (null when there is none). */
  public static CommentAnalysis of(TextAnalysis text, float[] vector) {
    return new CommentAnalysis(text, vector == null ? null : quantize(vector));
  }

  /** The unit sentence vector, decoded afresh on each call (the caller may change it), or null. */
  public float[] vector() {
    return quantized == null ? null : decode(quantized);
  }

  /** The same analysis keeping only what reports show (language and redacted text). */
  public CommentAnalysis light() {
    return new CommentAnalysis(new TextAnalysis(text.language(), text.confidence(), text.analysed(), List.of(),
        List.of(), List.of(), text.redacted()), null);
  }

  public JsonObject toDocument() {
    JsonObject doc = new JsonObject()
        .put("language", text.language())
        .put("confidence", Math.round(text.confidence() * 1000) / 1000.0)
        .put("analysed", text.analysed())
        .put("terms", new JsonArray(text.terms()))
        .put("keyPhrases", new JsonArray(text.keyPhrases()))
        .put("surfaces", new JsonArray(text.surfaces()))
        .put("redacted", text.redacted());
    if (quantized != null) {
      doc.put("vector", Base64.getEncoder().encodeToString(quantized));
    }
    return doc;
  }

  public static CommentAnalysis fromDocument(JsonObject doc) {
    return fromDocument(doc, new HashMap<>());
  }

  /**
   * Reads a stored analysis, sharing one copy of each word through {@code canon}: a hundred
   * thousand comments use a few thousand distinct words, so a theme build holds far less.
   */
  public static CommentAnalysis fromDocument(JsonObject doc, Map<String, String> canon) {
    TextAnalysis text = new TextAnalysis(doc.getString("language"), doc.getDouble("confidence", 0.0),
        doc.getBoolean("analysed", false), strings(doc.getJsonArray("terms"), canon),
        strings(doc.getJsonArray("keyPhrases"), canon), strings(doc.getJsonArray("surfaces"), canon),
        doc.getString("redacted", ""));
    String vector = doc.getString("vector");
    return new CommentAnalysis(text, vector == null ? null : Base64.getDecoder().decode(vector));
  }

  private static List<String> strings(JsonArray array, Map<String, String> canon) {
    if (array == null || array.isEmpty()) {
      return List.of();
    }
    String[] values = new String[array.size()];
    for (int i = 0; i < values.length; i++) {
      String value = String.valueOf(array.getValue(i));
      values[i] = canon.computeIfAbsent(value, k -> k);
    }
    return List.of(values);
  }

  static byte[] quantize(float[] vector) {
    byte[] bytes = new byte[vector.length];
    for (int i = 0; i < vector.length; i++) {
      // Components of a unit 384-vector stay well inside ±0.5; scale so ±0.5 uses the full range.
      bytes[i] = (byte) Math.max(-127, Math.min(127, Math.round(vector[i] * 254)));
    }
    return bytes;
  }

  static float[] decode(byte[] bytes) {
    float[] vector = new float[bytes.length];
    double norm = 0;
    for (int i = 0; i < bytes.length; i++) {
      vector[i] = bytes[i] / 254f;
      norm += vector[i] * vector[i];
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= scale;
    }
    return vector;
  }
}
