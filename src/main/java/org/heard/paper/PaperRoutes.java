package org.heard.paper;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static org.heard.auth.Role.ANALYST;
import static org.heard.auth.Role.OUTREACH;

import java.util.List;
import org.heard.http.FeatureRoutes;
import org.heard.http.StaffRoute;
import org.heard.http.StaffSection;

/** Paper for outreach workers: printed forms and posters, batches, keying, double-entry mismatches, CSV import. */
public final class PaperRoutes implements FeatureRoutes {
  /** The templates this feature's pages render (in src/main/resources/templates). */
  public static final List<String> TEMPLATES = List.of("entry-surveys", "entry-start", "entry-batch", "entry-import",
      "entry-serial", "paper-form", "poster");
  public static final StaffSection SECTION = new StaffSection("/staff/entry", "Paper entry",
      "key in paper forms, import a CSV, verify double entry", List.of(OUTREACH));

  private final EntryPages entry;
  private final ImportPages imports;
  private final PrintPages prints;

  public PaperRoutes(EntryPages entry, ImportPages imports, PrintPages prints) {
    this.entry = entry;
    this.imports = imports;
    this.prints = prints;
  }

  @Override
  public List<StaffRoute> staffRoutes() {
    String survey = "/staff/entry/:surveyId";
    return List.of(
        StaffRoute.page("ENTRY_SURVEYS", GET, "/staff/entry", entry::surveys, OUTREACH),
        StaffRoute.page("ENTRY_START", GET, survey, entry::start, OUTREACH),
        StaffRoute.page("BATCH_CREATE", POST, survey, entry::createBatch, OUTREACH),
        StaffRoute.page("BATCH", GET, survey + "/batches/:batchId", entry::batch, OUTREACH),
        StaffRoute.page("BATCH_ENTER", POST, survey + "/batches/:batchId", entry::enter, OUTREACH),
        StaffRoute.page("CSV_TEMPLATE", GET, survey + "/template.csv", imports::template, OUTREACH),
        StaffRoute.page("IMPORT_FORM", GET, survey + "/import", imports::importForm, OUTREACH),
        StaffRoute.upload("IMPORT", survey + "/import", ImportPages.MAX_UPLOAD_BYTES, imports::importFile, OUTREACH),
        StaffRoute.page("MISMATCH", GET, survey + "/serials/:serial", entry::serial, OUTREACH),
        StaffRoute.page("RESOLVE", POST, survey + "/serials/:serial", entry::resolve, OUTREACH),
        // Analysts see them too, in a survey's preview.
        StaffRoute.page("PAPER_PDF", GET, "/staff/surveys/:surveyId/paper.pdf", prints::paperForm, OUTREACH, ANALYST),
        StaffRoute.page("POSTER_PDF", GET, "/staff/surveys/:surveyId/poster.pdf", prints::poster, OUTREACH, ANALYST));
  }
}
