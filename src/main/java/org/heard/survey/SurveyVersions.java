package org.heard.survey;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.List;

/**
 * The {@code survey_versions} collection: each version of each survey definition this database has
 * been run with, recorded at start-up. Stored answers outlive the definition that asked them: an
 * export of a survey whose question was removed (with the version raised) still has the column,
 * named and explained from the version that asked it. Before a definition is run, it is checked
 * against them ({@link #problems}).
 */
public final class SurveyVersions {
  public static final String COLLECTION = "survey_versions";

  private final MongoClient mongo;

  public SurveyVersions(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> createIndexes() {
    return mongo.createIndexWithOptions(COLLECTION, new JsonObject().put("surveyId", 1).put("version", 1),
        new IndexOptions().name("survey_version")).mapEmpty();
  }

  /** Records the definitions being run (a version's latest wording wins: the same version, corrected). */
  public Future<Void> record(List<SurveyDefinition> surveys) {
    Future<Void> chain = Future.succeededFuture();
    for (SurveyDefinition survey : surveys) {
      JsonObject document = new JsonObject().put("surveyId", survey.id()).put("version", survey.version())
          .put("definition", SurveyJson.definition(survey, false));
      chain = chain.compose(v -> mongo.replaceDocumentsWithOptions(COLLECTION,
          new JsonObject().put("_id", survey.id() + "@" + survey.version()), document,
          new UpdateOptions().setUpsert(true)).mapEmpty());
    }
    return chain;
  }

  /**
   * What in these definitions would change the meaning of answers stored under the versions this
   * database has run ({@link SurveyCompatibility}); empty when they can be run.
   */
  public Future<List<DefinitionProblem>> problems(List<SurveyDefinition> surveys) {
    List<Future<List<DefinitionProblem>>> checks = surveys.stream()
        .map(survey -> definitions(survey.id()).map(recorded -> SurveyCompatibility.problems(survey, recorded)))
        .toList();
    return Future.all(checks).map(all -> checks.stream().flatMap(f -> f.result().stream()).toList());
  }

  /** Every recorded definition of a survey, oldest version first. */
  public Future<List<JsonObject>> definitions(String surveyId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("surveyId", surveyId),
            new FindOptions().setSort(new JsonObject().put("version", 1)))
        .map(found -> found.stream().map(d -> d.getJsonObject("definition").put("version", d.getInteger("version")))
            .toList());
  }
}
