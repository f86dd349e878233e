package org.heard.themes;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.heard.analysis.Analysers;
import org.heard.analysis.CommentAnalysis;
import org.heard.text.SentenceEmbedder;
import org.heard.text.TextAnalyzer;

/**
 * {@code java -jar heard.jar themes-eval FILE.csv [--themes K] [--max-themes N] [--lexical]}: runs
 * Heard's theme analysis over a {@code text,label} CSV exactly as the server does (the same text
 * analysis, redaction and vectors, then the same model builder: split by language, clustered,
 * labelled) and prints NMI and ARI against the labels, the share put in "other", and each theme's
 * label next to its majority gold label. "Other" and each language group count as clusters of their
 * own in both scores, so leaving comments out is not free.
 */
public final class ThemeEvaluation {
  private ThemeEvaluation() {
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.println("usage: java -jar heard.jar themes-eval FILE.csv [--themes K] [--max-themes N] [--lexical]");
      return 64;
    }
    Integer k = null;
    Integer maxThemes = null;
    boolean lexical = false;
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--themes" -> k = Integer.parseInt(args.get(++i));
        case "--lexical" -> lexical = true;
        case "--max-themes" -> maxThemes = Integer.parseInt(args.get(++i));
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
      // The server's path: the same analysis (language, redaction, vectors for English), then the
      // same model builder (split by language, clustered, labelled).
      TextAnalyzer analyzer = new TextAnalyzer(Set.of("en", "pl"));
      SentenceEmbedder embedder = lexical ? null : new SentenceEmbedder();
      long loaded = System.nanoTime();
      List<CommentAnalysis> analyses = new ArrayList<>();
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<CommentAnalysis>> futures = new ArrayList<>();
        for (String text : texts) {
          futures.add(pool.submit(() -> {
            return Analysers.analyse(analyzer, embedder, text, "en");
          }));
        }
        for (Future<CommentAnalysis> future : futures) {
          analyses.add(future.get());
        }
      } finally {
        pool.shutdown();
      }
      long analysed = System.nanoTime();
      List<ThemeItem> items = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        items.add(new ThemeItem(String.format("e%031d", i), "q", Instant.EPOCH.plusSeconds(i), "eval", null, Map.of(),
            analyses.get(i)));
      }
      ThemeClusterer.Settings settings = ThemeClusterer.Settings.defaults().withFixedThemes(k);
      if (maxThemes != null) {
        settings = settings.withMaxThemes(maxThemes);
      }
      ThemeModel model = ThemeModelBuilder.build("eval", items, List.of(), settings, Instant.now());
      long clustered = System.nanoTime();
      Map<String, String> themeOf = new HashMap<>();
      model.assignments().forEach(a -> themeOf.put(a.item().key(), a.themeId()));
      List<ThemeModel.Theme> themes = model.themes();
      Map<String, Integer> index = new HashMap<>();
      for (int t = 0; t < themes.size(); t++) {
        index.put(themes.get(t).id(), t);
      }
      int[] assigned = new int[texts.size()];
      int other = 0;
      for (int i = 0; i < texts.size(); i++) {
        String id = themeOf.get(items.get(i).key());
        assigned[i] = index.get(id);
        other += ThemeModelBuilder.OTHER_ID.equals(id) ? 1 : 0;
      }
      long real = themes.stream().filter(t -> t.kind() == ThemeModel.Kind.THEME).count();
      out.printf("comments %d, themes %d%s, other %.1f%%%n", texts.size(), real,
          k == null ? " (chosen" + (maxThemes == null ? "" : ", at most " + maxThemes) + ")" : " (given)",
          100.0 * other / texts.size());
      out.printf("NMI %.3f  ARI %.3f%n", Scores.nmi(assigned, gold), Scores.ari(assigned, gold));
      printByLanguage(out, analyses, assigned, gold);
      out.printf("models loaded %.1f s, analysed %.0f comments/s (%d threads), themes in %.2f s%n",
          (loaded - started) / 1e9, texts.size() / ((analysed - loaded) / 1e9), threads, (clustered - analysed) / 1e9);
      for (int t = 0; t < themes.size(); t++) {
        Map<String, Integer> counts = new HashMap<>();
        int size = 0;
        for (int i = 0; i < texts.size(); i++) {
          if (assigned[i] == t) {
            counts.merge(gold.get(i), 1, Integer::sum);
            size++;
          }
        }
        if (size == 0) {
          continue;
        }
        Map.Entry<String, Integer> majority = counts.entrySet().stream()
            .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey)).orElse(Map.entry("-", 0));
        out.printf("  %3d  %-40s %4d  majority %s (%d%%)%n", t + 1, themes.get(t).label(), size, majority.getKey(),
            100 * majority.getValue() / size);
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

  /**
   * For each detected language with 10 comments or more in a mixed set: NMI on that language's
   * comments, beside the mean NMI of 20 shuffles of their labels (what chance gives on that subset).
   */
  private static void printByLanguage(PrintStream out, List<CommentAnalysis> analyses, int[] assigned, List<String> gold) {
    Map<String, List<Integer>> byLanguage = new TreeMap<>();
    for (int i = 0; i < analyses.size(); i++) {
      byLanguage.computeIfAbsent(analyses.get(i).text().language(), l -> new ArrayList<>()).add(i);
    }
    if (byLanguage.size() < 2) {
      return;
    }
    Random random = new Random(7);
    byLanguage.forEach((language, members) -> {
      if (members.size() < 10) {
        return;
      }
      int[] clusters = members.stream().mapToInt(i -> assigned[i]).toArray();
      List<String> labels = members.stream().map(gold::get).toList();
      double shuffled = 0;
      for (int r = 0; r < 20; r++) {
        List<String> copy = new ArrayList<>(labels);
        Collections.shuffle(copy, random);
        shuffled += Scores.nmi(clusters, copy) / 20;
      }
      out.printf("  %s: %d comments, NMI %.3f (shuffled labels %.3f)%n", language, members.size(),
          Scores.nmi(clusters, labels), shuffled);
    });
  }
}
