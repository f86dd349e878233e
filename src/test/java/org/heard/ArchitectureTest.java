package org.heard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floor plan, enforced on the compiled classes (and, for what the compiler inlines or erases,
 * on the sources): the dependency rule between packages, no package cycles, one owner per
 * collection, no class over 400 lines, and no inline qualified names of Heard's own classes. The
 * README's architecture section states the same rule; change both together.
 */
class ArchitectureTest {
  /** Each package's layer: a package may depend only on packages of lower layers (and see SIDEWAYS). */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("error", 0), Map.entry("config", 0), Map.entry("metrics", 0), Map.entry("i18n", 0),
      Map.entry("print", 0),
      Map.entry("store", 1),
      Map.entry("audit", 2), Map.entry("spool", 2), Map.entry("backup", 2),
      Map.entry("auth", 3),
      Map.entry("http", 4),
      // The core domain: packages of one layer may use each other, without cycles.
      Map.entry("survey", 5), Map.entry("response", 5), Map.entry("privacy", 5), Map.entry("text", 5),
      Map.entry("analysis", 5),
      // Features: each owns its routes, pages and services; sideways only as listed below.
      Map.entry("api", 6), Map.entry("health", 6), Map.entry("webform", 6), Map.entry("sms", 6),
      Map.entry("paper", 6), Map.entry("records", 6), Map.entry("staff", 6), Map.entry("erasure", 6),
      Map.entry("themes", 6), Map.entry("digest", 6), Map.entry("actions", 6), Map.entry("export", 6),
      Map.entry("xlsform", 6), Map.entry("preview", 6), Map.entry("definitions", 6), Map.entry("jobs", 6),
      Map.entry("", 7));
  static final Set<Integer> LAYERS_WITH_FREE_USE_WITHIN = Set.of(5);
  /** The allowed imports between features, each with its reason in the README. */
  static final Set<String> SIDEWAYS = Set.of(
      "digest -> themes", "digest -> actions", "actions -> themes", "actions -> sms", "export -> themes",
      "erasure -> sms", "erasure -> paper", "records -> paper", "webform -> sms", "paper -> sms",
      "preview -> sms");
  /**
   * The classes that hold a MongoClient: the owner of each collection, the store that opens it, and
   * the validate command's StoredVersions, which opens it to hand to SurveyVersions.
   */
  static final Set<String> MONGO_CLIENT_HOLDERS = Set.of(
      "store.Database", "response.ResponseStore", "webform.DraftStore", "auth.ApiTokens",
      "auth.StaffSessions", "auth.StaffAccounts", "audit.AuditLog", "actions.ActionStore", "sms.OutboundQueue",
      "sms.NumberStore", "erasure.ErasureSignals", "paper.EntryStore", "paper.BatchStore", "digest.DigestCounts", "digest.RecountLedger", "digest.IndicatorPacks",
      "themes.ThemeAnchors", "analysis.AnalysisQueue", "survey.SurveyVersions", "survey.SurveySources", "health.MetricsTokens",
      "privacy.SecretCheck", "StoredVersions", "response.ResponseSequence", "store.GuardIndex", "store.JobLeases", "store.BackgroundJobs", "store.SharedCounters", "export.StoredExports", "response.InsertBatches");
  static final Path MAIN = Path.of("src/main/java/org/heard");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.heard");
  }

  @Test
  void everyDependencyBetweenPackagesFollowsTheRule() {
    Set<String> violations = new TreeSet<>();
    for (JavaClass from : classes) {
      String a = feature(from);
      for (Dependency dependency : from.getDirectDependenciesFromSelf()) {
        JavaClass to = dependency.getTargetClass();
        if (!to.getPackageName().startsWith("org.heard")) {
          continue;
        }
        String b = feature(to);
        if (a.equals(b)) {
          continue;
        }
        Integer la = LAYERS.get(a);
        Integer lb = LAYERS.get(b);
        if (la == null || lb == null) {
          violations.add("package " + (la == null ? a : b) + " has no layer in the rule");
          continue;
        }
        boolean allowed = la > lb || (la.equals(lb) && (LAYERS_WITH_FREE_USE_WITHIN.contains(la)
            || SIDEWAYS.contains(a + " -> " + b)));
        if (!allowed) {
          violations.add(a + " -> " + b + ": " + from.getSimpleName() + " uses " + to.getSimpleName());
        }
      }
    }
    assertEquals(Set.of(), violations);
  }

  @Test
  void noPackageCycles() {
    SlicesRuleDefinition.slices().matching("org.heard.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyCollectionOwnersHoldAMongoClient() {
    Set<String> holders = new TreeSet<>();
    for (JavaClass javaClass : classes) {
      boolean holds = javaClass.getDirectDependenciesFromSelf().stream()
          .anyMatch(d -> d.getTargetClass().getName().equals("io.vertx.ext.mongo.MongoClient"));
      if (holds) {
        holders.add(javaClass.getName().replaceFirst("^org\\.heard\\.", "").replaceFirst("\\$.*", ""));
      }
    }
    assertEquals(new TreeSet<>(MONGO_CLIENT_HOLDERS), holders);
  }

  @Test
  void eachCollectionIsNamedInItsOwnerOnly() throws IOException {
    Pattern declared = Pattern.compile("static final String (?:COLLECTION|USAGE|UNSTORED) = \"([a-z_]+)\";");
    Pattern borrowed = Pattern.compile("mongo\\.\\w+\\(\\s*([A-Z]\\w*)\\.(?:COLLECTION|USAGE|UNSTORED)\\b");
    Set<String> collections = new TreeSet<>();
    for (Path source : sources()) {
      Matcher m = declared.matcher(Files.readString(source));
      while (m.find()) {
        collections.add(m.group(1));
      }
    }
    assertTrue(collections.size() >= 15, collections.toString());
    // A collection is named once, as its owner's constant; a literal in a driver call would hide a second owner.
    Pattern literal = Pattern.compile("mongo\\.\\w+\\(\\s*\"");
    Map<String, Set<String>> declaredIn = new TreeMap<>();
    List<String> borrowing = new ArrayList<>();
    for (Path source : sources()) {
      String text = Files.readString(source);
      String file = source.getFileName().toString();
      Matcher d = declared.matcher(text);
      while (d.find()) {
        declaredIn.computeIfAbsent(d.group(1), k -> new TreeSet<>()).add(file);
      }
      if (literal.matcher(text).find()) {
        borrowing.add(file + " names a collection in a driver call");
      }
      Matcher m = borrowed.matcher(text);
      while (m.find()) {
        if (!file.equals(m.group(1) + ".java")) {
          borrowing.add(file + " uses " + m.group());
        }
      }
    }
    declaredIn.forEach((collection, files) -> {
      if (files.size() > 1) {
        borrowing.add(collection + " is declared in " + files);
      }
    });
    assertEquals(List.of(), borrowing);
  }

  @Test
  void noMainClassIsOver400Lines() throws IOException {
    List<String> large = new ArrayList<>();
    for (Path source : sources()) {
      long lines = Files.readString(source).lines().count();
      if (lines > 400) {
        large.add(MAIN.relativize(source) + " (" + lines + " lines)");
      }
    }
    assertEquals(List.of(), large);
  }

  @Test
  void heardsOwnClassesAreImportedNotWrittenOutInline() throws IOException {
    Pattern qualified = Pattern.compile("org\\.heard\\.(?:[a-z0-9_]+\\.)*[A-Z]\\w*");
    List<String> inline = new ArrayList<>();
    for (Path source : sources()) {
      int number = 0;
      for (String line : Files.readAllLines(source)) {
        number++;
        String code = line.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*", "");
        if (code.startsWith("import ") || code.startsWith("package ") || code.trim().startsWith("*")
            || code.trim().startsWith("/**")) {
          continue;
        }
        if (qualified.matcher(code).find()) {
          inline.add(MAIN.relativize(source) + ":" + number + ": " + line.trim());
        }
      }
    }
    assertEquals(List.of(), inline);
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  /** A class's top package under org.heard ("" for the root). */
  private static String feature(JavaClass javaClass) {
    String rest = javaClass.getPackageName().equals("org.heard") ? ""
        : javaClass.getPackageName().substring("org.heard.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
