package org.heard;

import io.vertx.core.Future;
import org.heard.survey.SurveyDefinition;

/** Every collection's indexes, created (or found) at start-up by each collection's owner. */
final class HeardIndexes {
  private HeardIndexes() {
  }

  static Future<Void> create(Heard heard) {
    return Future.<Void>succeededFuture()
        .compose(v -> heard.responseStore.createIndexes())
        .compose(v -> heard.numbers.createIndexes())
        .compose(v -> heard.outbound.createIndexes())
        .compose(v -> heard.entries.createIndexes())
        .compose(v -> heard.audit.createIndexes())
        .compose(v -> heard.sessions.createIndexes())
        .compose(v -> heard.tokens.createIndexes())
        .compose(v -> heard.analysisQueue.createIndexes())
        .compose(v -> heard.erasureSignals.createIndexes())
        .compose(v -> heard.themeAnchors.createIndexes())
        .compose(v -> heard.surveyVersions.createIndexes())
        .compose(v -> heard.metricsTokens.createIndexes())
        .compose(v -> heard.sharedCounters.createIndexes())
        .compose(v -> heard.storedExports.createIndexes())
        .compose(v -> heard.drafts.createIndexes())
        .compose(v -> heard.numbers.createConsentIndexes(
            heard.base.catalog().all().stream().map(SurveyDefinition::id).toList()))
        .compose(v -> heard.staff.createIndexes())
        .compose(v -> heard.batches.createIndexes())
        .compose(v -> heard.actions.createIndexes())
        .compose(v -> heard.packs.createIndexes())
        .compose(v -> heard.jobLeases.createIndexes())
        .compose(v -> heard.digestCounts.createIndexes());
  }
}
