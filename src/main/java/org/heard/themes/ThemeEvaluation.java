package org.heard.themes;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.heard.text.SentenceEmbedder;
import org.heard.text.TextAnalysis;
import org.heard.text.TextAnalyzer;

/**
 * {@code java -jar heard.jar themes-eval FILE.csv [--themes K] [--lexical]}: runs Heard's theme
 * analysis over a {@code text,label} CSV and prints NMI and ARI against the labels, the share put
 * in "other", and each theme's label next to its majority gold label. "Other" counts as one
 * cluster of its own in both scores, so leaving comments out is not free.
 */
public final class ThemeEvaluation {
  private ThemeEvaluation() {
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.println("usage: java -jar heard.jar themes-eval FILE.csv [--themes K] [--lexical]");
      return 64;
    }
    Integer k = null;
    boolean lexical = false;
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--themes" -> k = Integer.parseInt(args.get(++i));
        case "--lexical" -> lexical = true;
        default -> {
          err.println("unknown option " + args.get(i));
          return 64;
        }
      }
    }
    try {
      List<String> texts = new ArrayList<>();
      List<String> gold = new ArrayList<>();
      try (Reader reader = Files.newBufferedReader(Path.of(args.get(0)), StandardCharsets.UTF_8)) {
        for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
          texts.add(record.get(0));
          gold.add(record.get(1));
        }
      }
      long started = System.nanoTime();
      TextAnalyzer analyzer = new TextAnalyzer(Set.of("en"));
      SentenceEmbedder embedder = lexical ? null : new SentenceEmbedder();
      long loaded = System.nanoTime();
      List<TextAnalysis> analyses = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Object[]>> futures = new ArrayList<>();
        for (String text : texts) {
          futures.add(pool.submit(() -> {
            TextAnalysis analysis = analyzer.analyze(text, "en");
            return new Object[] {analysis, embedder == null ? null : embedder.embed(analysis.redacted())};
          }));
        }
        for (Future<Object[]> future : futures) {
          Object[] pair = future.get();
          analyses.add((TextAnalysis) pair[0]);
          vectors.add((float[]) pair[1]);
        }
      } finally {
        pool.shutdown();
      }
      long analysed = System.nanoTime();
      List<ThemeClusterer.Comment> comments = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        comments.add(new ThemeClusterer.Comment(vectors.get(i), analyses.get(i).terms(), analyses.get(i).keyPhrases()));
      }
      ThemeClusterer.Result result = new ThemeClusterer(ThemeClusterer.Settings.defaults()).cluster(comments, k);
      List<ThemeLabels.Source> sources = analyses.stream()
          .map(a -> new ThemeLabels.Source(a.keyPhrases(), a.surfaces(), a.terms())).toList();
      List<String> labels = ThemeLabels.labels(sources, result.theme(), result.themes());
      long clustered = System.nanoTime();
      int other = 0;
      for (int t : result.theme()) {
        other += t == ThemeClusterer.OTHER ? 1 : 0;
      }
      out.printf("comments %d, themes %d%s, other %.1f%%%n", texts.size(), result.themes(),
          k == null ? " (chosen)" : " (given)", 100.0 * other / texts.size());
      out.printf("NMI %.3f  ARI %.3f%n", Scores.nmi(result.theme(), gold), Scores.ari(result.theme(), gold));
      out.printf("models loaded %.1f s, analysed %.0f comments/s (%d threads), themes in %.2f s%n",
          (loaded - started) / 1e9, texts.size() / ((analysed - loaded) / 1e9), threads, (clustered - analysed) / 1e9);
      for (int t = 0; t < result.themes(); t++) {
        Map<String, Integer> counts = new HashMap<>();
        int size = 0;
        for (int i = 0; i < texts.size(); i++) {
          if (result.theme()[i] == t) {
            counts.merge(gold.get(i), 1, Integer::sum);
            size++;
          }
        }
        Map.Entry<String, Integer> majority = counts.entrySet().stream()
            .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey)).orElse(Map.entry("-", 0));
        out.printf("  %3d  %-40s %4d  majority %s (%d%%)%n", t + 1, labels.get(t), size, majority.getKey(),
            size == 0 ? 0 : 100 * majority.getValue() / size);
      }
      if (embedder != null) {
        embedder.close();
      }
      return 0;
    } catch (IOException e) {
      err.println("themes-eval: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("themes-eval: " + e);
      return 1;
    }
  }
}
