package org.heard.themes;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heard.store.Documents;

/**
 * The {@code theme_models} collection: per survey, the last build's themes with their "anchors" (the
 * most central comments' ids, no text), from which the next build keeps the same theme ids.
 */
public final class ThemeAnchors {
  public static final String COLLECTION = "theme_models";

  private final MongoClient mongo;

  public ThemeAnchors(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The themes of the survey's last build (without members), or none. */
  public Future<List<ThemeModel.Theme>> load(String surveyId) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", surveyId), null).map(doc -> {
      List<ThemeModel.Theme> themes = new ArrayList<>();
      if (doc != null) {
        for (Object t : doc.getJsonArray("themes", new JsonArray())) {
          JsonObject theme = (JsonObject) t;
          themes.add(new ThemeModel.Theme(theme.getString("id"), theme.getString("label"), ThemeModel.Kind.THEME,
              theme.getString("language"), null, Map.of(),
              theme.getJsonArray("anchors", new JsonArray()).stream().map(String::valueOf).toList()));
        }
      }
      return themes;
    });
  }

  /** Keeps each theme's id, label and anchors, so ids stay stable across rebuilds and restarts. */
  public Future<Void> save(ThemeModel model) {
    JsonArray themes = new JsonArray();
    model.themes().stream().filter(t -> t.kind() == ThemeModel.Kind.THEME).forEach(t -> themes.add(new JsonObject()
        .put("id", t.id()).put("label", t.label()).put("language", t.language()).put("anchors", new JsonArray(t.anchors()))));
    JsonObject doc = new JsonObject().put("_id", model.surveyId()).put("builtAt", Documents.date(model.builtAt()))
        .put("comments", model.builtFrom()).put("themes", themes);
    return mongo.replaceDocumentsWithOptions(COLLECTION, new JsonObject().put("_id", model.surveyId()), doc,
        new UpdateOptions().setUpsert(true)).mapEmpty();
  }
}
