package org.heard.response;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What happens to stored responses, for the features that keep something derived from them (digest
 * counts, the analysis queue, theme models). The store, corrections, erasure and analysis announce;
 * the composition root registers every reaction in one table.
 */
public final class ResponseEvents {
  private final List<Consumer<JsonObject>> stored = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<JsonObject, JsonObject>> corrected = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonObject>> erased = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonObject>> analysed = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> forgotten = new CopyOnWriteArrayList<>();

  /** Each newly stored response document (from any channel, and from the spool's drain). */
  public void onStored(Consumer<JsonObject> reaction) {
    stored.add(reaction);
  }

  /** A response before and after a staff correction. */
  public void onCorrected(BiConsumer<JsonObject, JsonObject> reaction) {
    corrected.add(reaction);
  }

  /** Each erased response as it was (id, survey, channel, time, answers). */
  public void onErased(Consumer<JsonObject> reaction) {
    erased.add(reaction);
  }

  /**
   * A response id erased here or through another instance on the same database: drop what this
   * instance keeps of it in memory. ({@link #onErased} runs once, where the erasure was made.)
   */
  public void onForgotten(Consumer<String> reaction) {
    forgotten.add(reaction);
  }

  /** A response whose text analysis was just stored (with it). */
  public void onAnalysed(Consumer<JsonObject> reaction) {
    analysed.add(reaction);
  }

  public void stored(JsonObject response) {
    stored.forEach(reaction -> reaction.accept(response));
  }

  public void corrected(JsonObject before, JsonObject after) {
    corrected.forEach(reaction -> reaction.accept(before, after));
  }

  public void erased(JsonObject response) {
    erased.forEach(reaction -> reaction.accept(response));
  }

  public void forgotten(String responseId) {
    forgotten.forEach(reaction -> reaction.accept(responseId));
  }

  public void analysed(JsonObject response) {
    analysed.forEach(reaction -> reaction.accept(response));
  }
}
