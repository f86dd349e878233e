package org.heard.themes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A built model as stored for the other instances (in {@code theme_models} and
 * {@code theme_assignments}): its themes with their centres, the per-language spaces, and each
 * comment's theme by key (response id and question; no text). Word maps are stored as parallel
 * arrays, since a word is not always a valid field name.
 */
final class ThemeModelCodec {
  private ThemeModelCodec() {
  }

  static JsonObject themes(ThemeModel model) {
    JsonArray themes = new JsonArray();
    for (ThemeModel.Theme theme : model.themes()) {
      themes.add(new JsonObject().put("id", theme.id()).put("label", theme.label())
          .put("kind", theme.kind().name()).put("language", theme.language())
          .put("vector", floats(theme.vectorCentroid())).put("lexical", words(theme.lexicalCentroid()))
          .put("anchors", new JsonArray(theme.anchors())));
    }
    JsonArray spaces = new JsonArray();
    model.spaces().values().forEach(space -> spaces.add(new JsonObject().put("language", space.language())
        .put("mean", floats(space.mean())).put("idf", words(space.idf())).put("weight", space.weight())));
    return new JsonObject().put("themes", themes).put("spaces", spaces).put("otherBelow", model.otherBelow());
  }

  static List<ThemeModel.Theme> themes(JsonObject doc) {
    List<ThemeModel.Theme> themes = new ArrayList<>();
    for (Object t : doc.getJsonArray("themes", new JsonArray())) {
      JsonObject theme = (JsonObject) t;
      themes.add(new ThemeModel.Theme(theme.getString("id"), theme.getString("label"),
          ThemeModel.Kind.valueOf(theme.getString("kind", "THEME")), theme.getString("language"),
          floats(theme.getJsonArray("vector")), words(theme.getJsonObject("lexical")),
          theme.getJsonArray("anchors", new JsonArray()).stream().map(String::valueOf).toList()));
    }
    return themes;
  }

  static Map<String, ThemeModel.Space> spaces(JsonObject doc) {
    Map<String, ThemeModel.Space> spaces = new HashMap<>();
    for (Object s : doc.getJsonArray("spaces", new JsonArray())) {
      JsonObject space = (JsonObject) s;
      spaces.put(space.getString("language"), new ThemeModel.Space(space.getString("language"),
          floats(space.getJsonArray("mean")), words(space.getJsonObject("idf")), space.getDouble("weight", 0.0)));
    }
    return spaces;
  }

  /** A stored model with the comments it holds now: stored assignments where it has them, the nearest theme for the rest. */
  static ThemeModel restore(String surveyId, JsonObject doc, Map<String, Object[]> stored, List<ThemeItem> items) {
    List<ThemeModel.Assignment> known = new ArrayList<>();
    List<ThemeItem> arrived = new ArrayList<>();
    for (ThemeItem item : items) {
      Object[] assignment = stored.get(item.key());
      if (assignment == null) {
        arrived.add(item);
      } else {
        known.add(new ThemeModel.Assignment(ThemeModelBuilder.light(item), (String) assignment[0], (Double) assignment[1]));
      }
    }
    ThemeModel model = new ThemeModel(surveyId, Instant.parse(doc.getString("builtAtText")), themes(doc), spaces(doc),
        known, doc.getDouble("otherBelow", 0.25));
    arrived.forEach(model::add);
    return model;
  }

  private static JsonArray floats(float[] values) {
    if (values == null) {
      return null;
    }
    JsonArray array = new JsonArray();
    for (float value : values) {
      array.add((double) value);
    }
    return array;
  }

  private static float[] floats(JsonArray array) {
    if (array == null) {
      return null;
    }
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((Number) array.getValue(i)).floatValue();
    }
    return values;
  }

  private static JsonObject words(Map<String, Double> weights) {
    JsonArray words = new JsonArray();
    JsonArray values = new JsonArray();
    weights.forEach((word, value) -> {
      words.add(word);
      values.add(value);
    });
    return new JsonObject().put("words", words).put("values", values);
  }

  private static Map<String, Double> words(JsonObject stored) {
    Map<String, Double> weights = new HashMap<>();
    if (stored == null) {
      return weights;
    }
    JsonArray words = stored.getJsonArray("words", new JsonArray());
    JsonArray values = stored.getJsonArray("values", new JsonArray());
    for (int i = 0; i < words.size(); i++) {
      weights.put(words.getString(i), ((Number) values.getValue(i)).doubleValue());
    }
    return weights;
  }
}
