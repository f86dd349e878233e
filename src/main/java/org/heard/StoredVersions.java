package org.heard;

import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.heard.store.Database;
import org.heard.store.EmbeddedMongo;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyVersions;

/**
 * For {@code validate}: the definitions compared with the versions the configured database has run
 * (the check the server makes at start-up), when that database can be read from here.
 */
final class StoredVersions {
  /** The problems found, or why the comparison could not be made ({@code note}). */
  record Comparison(List<DefinitionProblem> problems, String note) {
  }

  private StoredVersions() {
  }

  static Comparison compare(Map<String, String> env, SurveyCatalog catalog) {
    Config config;
    try {
      config = Config.from(env);
    } catch (ConfigException e) {
      return new Comparison(List.of(), "not compared with stored versions: " + String.join("; ", e.problems()));
    }
    if (config.mongoUri().isEmpty() && !Files.exists(config.dataDir().resolve(EmbeddedMongo.STORE_FILE))) {
      return new Comparison(List.of(), "no database in " + config.dataDir() + " yet: no stored versions to compare with");
    }
    Vertx vertx = Vertx.vertx();
    EmbeddedMongo embedded = null;
    MongoClient mongo = null;
    try {
      if (config.mongoUri().isEmpty()) {
        embedded = EmbeddedMongo.start(config.dataDir(), 0, false);
      }
      String uri = embedded == null ? config.mongoUri().orElseThrow() : embedded.connectionString();
      mongo = Database.connect(vertx, uri, config.mongoDatabase());
      List<DefinitionProblem> problems = new SurveyVersions(mongo).problems(catalog.all()).await(30, TimeUnit.SECONDS);
      return new Comparison(problems, "compared with the versions stored in " + (embedded == null ? "the database at "
          + Config.MONGODB_URI : config.dataDir()));
    } catch (ConfigException e) {
      return new Comparison(List.of(), "not compared with stored versions: " + String.join("; ", e.problems())
          + "; the server compares them when it loads the definitions");
    } catch (Exception e) {
      return new Comparison(List.of(), "not compared with stored versions: the database could not be read (" + e
          + "); the server compares them when it loads the definitions");
    } finally {
      close(mongo, embedded, vertx);
    }
  }

  private static void close(MongoClient mongo, EmbeddedMongo embedded, Vertx vertx) {
    try {
      if (mongo != null) {
        mongo.close().await(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // The comparison is made; a slow close changes nothing stored.
    }
    if (embedded != null) {
      embedded.stop();
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // as above
    }
  }
}
