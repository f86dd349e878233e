package org.heard.privacy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.heard.store.Documents;

/**
 * Every instance on one database must pseudonymise and encrypt with the same secret, or one
 * instance's respondent keys and numbers mean nothing to another. The first instance records a
 * fingerprint of its secret ({@code heard_settings}, an HMAC of a fixed text: it reveals nothing
 * of the secret); an instance whose secret gives another fingerprint does not start.
 */
public final class SecretCheck {
  public static final String COLLECTION = "heard_settings";
  private static final String ID = "secret-fingerprint";

  private final MongoClient mongo;
  private final Clock clock;

  public SecretCheck(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Completes when this secret is the database's (recording it if none was); fails with a ConfigException otherwise. */
  public Future<Void> verify(String secret) {
    String fingerprint = fingerprint(secret);
    JsonObject mine = new JsonObject().put("_id", ID).put("fingerprint", fingerprint)
        .put("recordedAt", Documents.date(Instant.now(clock)));
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", ID), null).compose(found -> {
      if (found == null) {
        // Two first instances at once: the insert of one fails, and it checks against the other's.
        return mongo.insert(COLLECTION, mine).<Void>mapEmpty().recover(raced -> verifyAgainstStored(fingerprint));
      }
      return compare(found, fingerprint);
    });
  }

  private Future<Void> verifyAgainstStored(String fingerprint) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", ID), null).compose(found -> found == null
        ? Future.failedFuture(new IllegalStateException("the secret's fingerprint could not be recorded"))
        : compare(found, fingerprint));
  }

  private static Future<Void> compare(JsonObject found, String fingerprint) {
    if (fingerprint.equals(found.getString("fingerprint"))) {
      return Future.succeededFuture();
    }
    JsonObject at = found.getJsonObject("recordedAt");
    return Future.failedFuture(new ConfigException(List.of("this instance's secret (" + Config.SECRET + ", or the "
        + "secret.key file in its data directory) is not the one the other instances on this database use (recorded "
        + (at == null ? "before" : "on " + Documents.instant(at)) + "): their pseudonyms and encrypted numbers would "
        + "not match. Give every instance the same " + Config.SECRET + " (or copy the first instance's secret.key)")));
  }

  static String fingerprint(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal("heard secret fingerprint".getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
