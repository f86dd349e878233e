package org.heard.survey;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changing the surveys while the server runs. The definitions in force live in
 * {@link SurveySources}, shared by every instance on the database; an upload or a reload of the
 * surveys folder is checked exactly as at start-up (the same loader, beside the other surveys, and
 * against every version the database has run) and put in force here at once, and by every other
 * instance at its next {@link #poll} (every {@link #POLL}). A request under way keeps the
 * definition it started with; drafts and SMS conversations carry on under the new one.
 */
public final class SurveyChanges {
  public static final Duration POLL = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(SurveyChanges.class);

  /** What a change did: the problems that stopped it (nothing changed), or the surveys put in force. */
  public record Outcome(List<DefinitionProblem> problems, List<String> applied) {
  }

  private final Vertx vertx;
  private final Path surveysDir;
  private final Function<Path, SurveyCatalog> loader;
  private final SurveySources sources;
  private final SurveyVersions versions;
  private final SurveyCatalog catalog;
  private final Clock clock;
  /** One change at a time on this instance; what was last put in force, to tell others' changes. */
  private Future<?> lastChange = Future.succeededFuture();
  private volatile String inForce = "";

  /**
   * @param loader loads a surveys folder with every check the server makes at start-up, or throws
   *               {@link DefinitionException}
   */
  public SurveyChanges(Vertx vertx, Path surveysDir, Function<Path, SurveyCatalog> loader, SurveySources sources,
                       SurveyVersions versions, SurveyCatalog catalog, Clock clock) {
    this.vertx = vertx;
    this.surveysDir = surveysDir;
    this.loader = loader;
    this.sources = sources;
    this.versions = versions;
    this.catalog = catalog;
    this.clock = clock;
  }

  /**
   * At start-up: each survey file is put in force when it is new or was edited since Heard last read
   * it; a file left alone since an upload leaves the upload in force. Fails with every problem (as
   * validate prints them) when a definition would change what stored answers mean.
   */
  public Future<Void> startUp() {
    return sources.all().compose(stored -> vertx.executeBlocking(() -> {
      Map<String, SurveySources.Source> byId = byId(stored);
      List<SurveySources.Source> changed = new ArrayList<>();
      for (SurveyDefinition survey : catalog.all()) {
        Path file = Path.of(survey.sourceFile());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        SurveySources.Source known = byId.get(survey.id());
        String hash = SurveySources.hash(text);
        if (known == null || !known.fileHashes().contains(hash)) {
          SurveySources.Source source = new SurveySources.Source(survey.id(), text, file.getFileName().toString(),
              survey.version(), "file", known == null ? List.of(hash) : known.withFileHash(hash).fileHashes(), now(),
              "file");
          byId.put(survey.id(), source);
          changed.add(source);
        }
      }
      return new Loaded(build(byId.values()), changed, fingerprint(byId.values()));
    }, false)).compose(loaded -> versions.problems(loaded.catalog().all()).compose(problems -> {
      if (!problems.isEmpty()) {
        // Refused before anything is kept: the next start reads the files afresh.
        return Future.failedFuture(new DefinitionException(problems));
      }
      return sources.put(loaded.changed()).map(v -> {
        catalog.replace(loaded.catalog().all());
        inForce = loaded.fingerprint();
        return null;
      });
    }));
  }

  /** An administrator's upload of one definition (YAML or JSON text). */
  public Future<Outcome> upload(String uploadedName, String text, String by) {
    return serially(() -> sources.all().compose(stored -> vertx.executeBlocking(() -> {
      Map<String, SurveySources.Source> byId = byId(stored);
      String id = surveyId(text);
      SurveySources.Source before = id == null ? null : byId.get(id);
      String fileName = before != null ? before.fileName()
          : (id == null ? "upload" : id) + (uploadedName.toLowerCase(Locale.ROOT).endsWith(".json") ? ".json" : ".yaml");
      SurveySources.Source source = new SurveySources.Source(id, text, fileName, 0, "upload",
          before == null ? List.of() : before.fileHashes(), now(), by);
      if (id != null) {
        byId.put(id, source);
      } else {
        byId.put("", source);
      }
      return attempt(byId, List.of(source));
    }, false)).compose(this::apply));
  }

  /** Reads the surveys folder again: each file whose text changed is put in force. */
  public Future<Outcome> reloadFiles(String by) {
    return serially(() -> sources.all().compose(stored -> vertx.executeBlocking(() -> {
      Map<String, SurveySources.Source> byId = byId(stored);
      List<SurveySources.Source> changed = new ArrayList<>();
      for (Path file : surveyFiles(surveysDir)) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String id = surveyId(text);
        SurveySources.Source known = id == null ? null : byId.get(id);
        if (known == null || !known.text().equals(text)) {
          SurveySources.Source source = new SurveySources.Source(id, text, file.getFileName().toString(), 0, "file",
              known == null ? List.of(SurveySources.hash(text)) : known.withFileHash(SurveySources.hash(text)).fileHashes(),
              now(), by);
          byId.put(id == null ? file.getFileName().toString() : id, source);
          changed.add(source);
        }
      }
      return attempt(byId, changed);
    }, false)).compose(this::apply));
  }

  /** Puts in force what another instance changed; completes with whether anything changed. */
  public Future<Boolean> poll() {
    return sources.all().compose(stored -> {
      String fingerprint = fingerprint(stored);
      if (fingerprint.equals(inForce)) {
        return Future.succeededFuture(false);
      }
      return vertx.executeBlocking(() -> build(stored), false).map(loaded -> {
        catalog.replace(loaded.all());
        inForce = fingerprint;
        LOG.info("survey definitions changed through another instance are in force: {}",
            loaded.all().stream().map(s -> s.id() + " v" + s.version()).toList());
        return true;
      }).recover(error -> {
        // Logged once per change: this instance keeps running what it had.
        inForce = fingerprint;
        LOG.error("survey definitions changed through another instance cannot be run here: {}", error.toString());
        return Future.succeededFuture(false);
      });
    });
  }

  /** The result of checking a change: its problems, or what to write and run. */
  private record Attempt(List<DefinitionProblem> problems, SurveyCatalog catalog, List<SurveySources.Source> changed) {
  }

  private record Loaded(SurveyCatalog catalog, List<SurveySources.Source> changed, String fingerprint) {
  }

  private Attempt attempt(Map<String, SurveySources.Source> byId, List<SurveySources.Source> changed) throws IOException {
    try {
      SurveyCatalog loaded = build(byId.values());
      List<SurveySources.Source> versioned = changed.stream().map(s -> {
        SurveyDefinition survey = loaded.find(s.surveyId()).orElseThrow();
        return new SurveySources.Source(s.surveyId(), s.text(), s.fileName(), survey.version(), s.origin(),
            s.fileHashes(), s.loadedAt(), s.loadedBy());
      }).toList();
      return new Attempt(List.of(), loaded, versioned);
    } catch (DefinitionException e) {
      return new Attempt(e.problems(), null, changed);
    }
  }

  private Future<Outcome> apply(Attempt attempt) {
    if (!attempt.problems().isEmpty()) {
      return Future.succeededFuture(new Outcome(attempt.problems(), List.of()));
    }
    List<SurveyDefinition> changed = attempt.changed().stream()
        .map(s -> attempt.catalog().find(s.surveyId()).orElseThrow()).toList();
    return versions.problems(changed).compose(problems -> {
      if (!problems.isEmpty()) {
        return Future.succeededFuture(new Outcome(problems, List.of()));
      }
      return sources.put(attempt.changed()).compose(v -> versions.record(changed)).compose(v -> sources.all())
          .map(stored -> {
            catalog.replace(attempt.catalog().all());
            inForce = fingerprint(stored);
            List<String> applied = changed.stream().map(s -> s.id() + " version " + s.version()).toList();
            LOG.info("survey definitions put in force: {}", applied);
            return new Outcome(List.of(), applied);
          });
    });
  }

  /** Milliseconds, as the database keeps them, so a change reads back exactly as it was written. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private <T> Future<T> serially(Supplier<Future<T>> change) {
    Future<T> next = lastChange.transform(ignored -> change.get());
    lastChange = next;
    return next;
  }

  /**
   * Loads the definitions as the server would from a folder: the partnership and messages of the
   * surveys folder, and each definition's text under its file name. Problems name those files.
   */
  private SurveyCatalog build(Collection<SurveySources.Source> definitions) throws IOException {
    Path scratch = Files.createTempDirectory("heard-surveys");
    try {
      for (Path file : partnershipAndMessages(surveysDir)) {
        Path target = scratch.resolve(surveysDir.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
      for (SurveySources.Source source : definitions) {
        Files.writeString(scratch.resolve(source.fileName()), source.text(), StandardCharsets.UTF_8);
      }
      try {
        SurveyCatalog loaded = loader.apply(scratch);
        List<SurveyDefinition> named = loaded.all().stream().map(s -> withSource(s,
            surveysDir.resolve(Path.of(s.sourceFile()).getFileName().toString()).toString())).toList();
        return new SurveyCatalog(catalog.partnership(), named);
      } catch (DefinitionException e) {
        throw new DefinitionException(e.problems().stream().map(p -> new DefinitionProblem(
            p.file().replace(scratch.toString(), surveysDir.toString()), p.path(), p.message())).toList());
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private static SurveyDefinition withSource(SurveyDefinition s, String file) {
    return new SurveyDefinition(s.id(), s.version(), s.title(), s.description(), s.monitoringIntro(), s.languages(),
        s.opens(), s.closes(), s.channels(), s.questions(), file, s.retentionDays());
  }

  private static List<Path> partnershipAndMessages(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !p.equals(dir)).filter(p -> {
        Path relative = dir.relativize(p);
        String first = relative.getName(0).toString();
        return first.equals("messages") || (relative.getNameCount() == 1 && SurveyLoader.isDefinitionFile(p)
            && SurveyLoader.isPartnershipFile(p));
      }).sorted().toList();
    }
  }

  static List<Path> surveyFiles(Path dir) throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.filter(SurveyLoader::isDefinitionFile).filter(p -> !SurveyLoader.isPartnershipFile(p)).sorted()
          .toList();
    }
  }

  /** The id a definition's text gives itself, or null when it has none to read (the loader then says why). */
  static String surveyId(String text) {
    try {
      Object root = new Load(LoadSettings.builder().build()).loadFromString(text);
      return root instanceof Map<?, ?> map && map.get("id") instanceof String id && !id.isBlank() ? id.strip() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Map<String, SurveySources.Source> byId(List<SurveySources.Source> stored) {
    Map<String, SurveySources.Source> byId = new LinkedHashMap<>();
    stored.forEach(s -> byId.put(s.surveyId(), s));
    return byId;
  }

  private static String fingerprint(Collection<SurveySources.Source> stored) {
    return stored.stream().map(s -> s.surveyId() + "@" + s.loadedAt() + "#" + SurveySources.hash(s.text())).sorted()
        .reduce("", (a, b) -> a + "|" + b);
  }
}
