package org.heard.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import opennlp.tools.tokenize.WordpieceTokenizer;

/**
 * Sentence vectors from the quantized all-MiniLM-L6-v2 model, whose ONNX file ships inside a
 * Maven Central jar, run in-process by ONNX Runtime: lower-cased WordPiece tokens, mean of the
 * token vectors under the attention mask, L2-normalised. One text per call, because the int8
 * model's output shifts slightly with padding inside a batch and themes must be reproducible.
 * English-trained: used for English comments only.
 */
public final class SentenceEmbedder implements AutoCloseable {
  public static final int DIMENSIONS = 384;
  private static final int MAX_TOKENS = 128;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Map<String, Integer> vocabulary;
  private final WordpieceTokenizer tokenizer;

  public SentenceEmbedder() {
    try {
      environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = environment.createSession(resource("/all-minilm-l6-v2-q.onnx"), options);
      vocabulary = new HashMap<>();
      Set<String> words = new LinkedHashSet<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(
          SentenceEmbedder.class.getResourceAsStream("/bert-vocabulary-en.txt"), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          vocabulary.put(line, vocabulary.size());
          words.add(line);
        }
      }
      tokenizer = new WordpieceTokenizer(words);
    } catch (OrtException | IOException | NullPointerException e) {
      throw new IllegalStateException("the sentence-embedding model could not be loaded", e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = SentenceEmbedder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the classpath");
      }
      return in.readAllBytes();
    }
  }

  /** The unit vector of {@code text}. Thread-safe (ONNX Runtime sessions are). */
  public float[] embed(String text) {
    String[] tokens = tokenizer.tokenize(text.toLowerCase(Locale.ROOT));
    int length = Math.min(tokens.length, MAX_TOKENS);
    long[] ids = new long[length];
    long[] mask = new long[length];
    long[] types = new long[length];
    Integer unknown = vocabulary.get("[UNK]");
    for (int i = 0; i < length; i++) {
      // A truncated text still ends with [SEP].
      String token = i == length - 1 && length < tokens.length ? "[SEP]" : tokens[i];
      ids[i] = vocabulary.getOrDefault(token, unknown);
      mask[i] = 1;
    }
    long[] shape = {1, length};
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
         OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
         OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape);
         OrtSession.Result result = session.run(Map.of(
             "input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor))) {
      float[][][] hidden = (float[][][]) result.get(0).getValue();
      float[] vector = new float[DIMENSIONS];
      for (int t = 0; t < length; t++) {
        for (int d = 0; d < DIMENSIONS; d++) {
          vector[d] += hidden[0][t][d];
        }
      }
      double norm = 0;
      for (float v : vector) {
        norm += v * v;
      }
      float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < DIMENSIONS; d++) {
        vector[d] *= scale;
      }
      return vector;
    } catch (OrtException e) {
      throw new IllegalStateException("sentence embedding failed", e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing at shutdown: nothing more to do.
    }
  }
}
