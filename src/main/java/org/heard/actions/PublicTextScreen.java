package org.heard.actions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.text.TextAnalyzer;

/**
 * Checks what analysts write for boards and the public (what was done, and the public summaries
 * that go on the "you said, we did" page and out by SMS) with the same redaction that protects
 * residents' comments: text that names a person or gives contact details is refused with what was
 * found, so nothing redaction would remove reaches a board or the public by this road.
 */
final class PublicTextScreen {
  private final Vertx vertx;
  private volatile TextAnalyzer analyzer;

  PublicTextScreen(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Fails with every field that holds personal data; {@code texts} maps field names to text and language. */
  Future<Void> check(Map<String, String[]> texts) {
    return vertx.<List<FieldError>>executeBlocking(() -> {
      TextAnalyzer text = analyzer();
      List<FieldError> errors = new ArrayList<>();
      texts.forEach((field, value) -> {
        List<String> found = text.personalDataIn(value[0], value[1]);
        if (!found.isEmpty()) {
          errors.add(new FieldError(field, "personal_data", "This would show personal data to "
              + (field.startsWith("summary") ? "the public" : "boards") + " (" + String.join(", ", found)
              + "): say what was done without naming people, addresses, numbers or plates"));
        }
      });
      return errors;
    }, false).compose(errors -> errors.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(new HeardException.Invalid("personal-data-in-action",
            "The action would publish personal data.", errors)));
  }

  private TextAnalyzer analyzer() {
    TextAnalyzer loaded = analyzer;
    if (loaded == null) {
      synchronized (this) {
        if (analyzer == null) {
          analyzer = new TextAnalyzer(Set.of());
        }
        loaded = analyzer;
      }
    }
    return loaded;
  }
}
