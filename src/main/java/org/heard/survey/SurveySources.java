package org.heard.survey;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.heard.store.Documents;

/**
 * The {@code survey_sources} collection: the text of each survey definition in force, shared by
 * every instance on the database, so a definition uploaded (or reloaded from its file) through one
 * instance is run by all. One small document per survey, read whole: no index beyond {@code _id}.
 */
public final class SurveySources {
  public static final String COLLECTION = "survey_sources";

  /**
   * A definition's text as written, where it came from, and {@code fileHashes}: the hashes of every
   * text of the survey's file Heard has read, on any instance, so a file edited while Heard was
   * stopped is told from one left alone since an upload (instances may hold older copies).
   */
  public record Source(String surveyId, String text, String fileName, int version, String origin,
                       List<String> fileHashes, Instant loadedAt, String loadedBy) {
    public Source {
      fileHashes = List.copyOf(fileHashes);
    }

    /** The same, knowing one more file text. */
    Source withFileHash(String hash) {
      List<String> hashes = new ArrayList<>(fileHashes);
      if (!hashes.contains(hash)) {
        hashes.add(hash);
      }
      return new Source(surveyId, text, fileName, version, origin, hashes, loadedAt, loadedBy);
    }

    JsonObject toDocument() {
      return new JsonObject().put("_id", surveyId).put("text", text).put("fileName", fileName).put("version", version)
          .put("origin", origin).put("fileHashes", new JsonArray(fileHashes)).put("loadedAt", Documents.date(loadedAt))
          .put("loadedBy", loadedBy);
    }

    static Source fromDocument(JsonObject d) {
      JsonObject loaded = d.getJsonObject("loadedAt");
      List<String> hashes = d.getJsonArray("fileHashes", new JsonArray()).stream().map(String::valueOf).toList();
      return new Source(d.getString("_id"), d.getString("text"), d.getString("fileName"), d.getInteger("version", 0),
          d.getString("origin"), hashes, loaded == null ? Instant.EPOCH : Documents.instant(loaded), d.getString("loadedBy"));
    }
  }

  private final MongoClient mongo;

  public SurveySources(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<List<Source>> all() {
    return mongo.find(COLLECTION, new JsonObject()).map(found -> found.stream().map(Source::fromDocument).toList());
  }

  public Future<Void> put(List<Source> sources) {
    Future<Void> chain = Future.succeededFuture();
    for (Source source : sources) {
      chain = chain.compose(v -> mongo.replaceDocumentsWithOptions(COLLECTION, new JsonObject().put("_id", source.surveyId()),
          source.toDocument(), new UpdateOptions().setUpsert(true)).mapEmpty());
    }
    return chain;
  }

  /** SHA-256 of a file's text, hex. */
  public static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
