package org.heard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.heard.actions.ActionPages;
import org.heard.actions.ActionRoutes;
import org.heard.actions.ActionService;
import org.heard.actions.ActionStore;
import org.heard.actions.YouSaidWeDidPage;
import org.heard.analysis.AnalysisQueue;
import org.heard.analysis.AnalysisWorker;
import org.heard.api.ApiRoutes;
import org.heard.api.ResponseApi;
import org.heard.api.SurveyApi;
import org.heard.audit.AuditLog;
import org.heard.auth.AccountAccess;
import org.heard.auth.ApiTokens;
import org.heard.auth.PasswordHasher;
import org.heard.auth.PasswordWork;
import org.heard.auth.SignInThrottle;
import org.heard.auth.StaffAccounts;
import org.heard.auth.StaffLogin;
import org.heard.auth.StaffSessions;
import org.heard.config.Config;
import org.heard.config.DataDirectory;
import org.heard.digest.DigestApi;
import org.heard.digest.DigestCounts;
import org.heard.digest.DigestPages;
import org.heard.definitions.DefinitionPages;
import org.heard.definitions.DefinitionRoutes;
import org.heard.digest.DigestRoutes;
import org.heard.digest.DigestService;
import org.heard.digest.Recount;
import org.heard.digest.IndicatorPacks;
import org.heard.jobs.JobApi;
import org.heard.jobs.JobPages;
import org.heard.jobs.JobRoutes;
import org.heard.erasure.ErasureApi;
import org.heard.erasure.ErasurePages;
import org.heard.erasure.ErasureRoutes;
import org.heard.erasure.ErasureService;
import org.heard.erasure.ErasureSignals;
import org.heard.export.ExportApi;
import org.heard.export.ExportJobs;
import org.heard.export.ExportRoutes;
import org.heard.export.ResponseExport;
import org.heard.export.StoredExports;
import org.heard.survey.SurveyChanges;
import org.heard.survey.SurveySources;
import org.heard.survey.SurveyVersions;
import org.heard.health.HealthHandlers;
import org.heard.health.HealthRoutes;
import org.heard.health.MetricsTokenPages;
import org.heard.health.MetricsTokens;
import org.heard.http.FeatureRoutes;
import org.heard.http.PublicPages;
import org.heard.http.StaffGate;
import org.heard.http.StaffSection;
import org.heard.http.StaffView;
import org.heard.http.Templates;
import org.heard.i18n.Messages;
import org.heard.metrics.HeardMetrics;
import org.heard.paper.BatchStore;
import org.heard.paper.EntryPages;
import org.heard.paper.EntryStore;
import org.heard.paper.ImportPages;
import org.heard.paper.PaperEntryService;
import org.heard.paper.PaperImport;
import org.heard.paper.PaperPrints;
import org.heard.paper.PaperRoutes;
import org.heard.preview.PreviewPages;
import org.heard.preview.PreviewRoutes;
import org.heard.paper.PrintPages;
import org.heard.privacy.PhoneNumbers;
import org.heard.privacy.Pseudonyms;
import org.heard.privacy.SecretCheck;
import org.heard.records.RecordsApi;
import org.heard.records.RecordsRoutes;
import org.heard.records.ResponsePages;
import org.heard.records.ResponseRecords;
import org.heard.response.ResponseEvents;
import org.heard.response.ResponseService;
import org.heard.response.ResponseStore;
import org.heard.sms.NumberStore;
import org.heard.sms.OutboundQueue;
import org.heard.sms.SmsDialogue;
import org.heard.sms.SmsPrompts;
import org.heard.sms.SmsRoutes;
import org.heard.sms.SmsSender;
import org.heard.sms.SmsTranscript;
import org.heard.sms.SmsService;
import org.heard.sms.SmsWebhook;
import org.heard.sms.TextBack;
import org.heard.spool.Backlog;
import org.heard.spool.DiskSpace;
import org.heard.spool.Spool;
import org.heard.staff.PasswordPage;
import org.heard.staff.StaffApi;
import org.heard.staff.StaffPages;
import org.heard.staff.StaffRoutes;
import org.heard.store.BackgroundJobs;
import org.heard.store.Database;
import org.heard.store.SharedCounters;
import org.heard.store.JobLeases;
import org.heard.survey.SurveyCatalog;
import org.heard.themes.ThemeAnchors;
import org.heard.themes.ThemeApi;
import org.heard.themes.ThemeClusterer;
import org.heard.themes.ThemeComments;
import org.heard.themes.ThemeRoutes;
import org.heard.themes.ThemeService;
import org.heard.webform.DraftStore;
import org.heard.webform.FormLimits;
import org.heard.webform.WebFormPages;
import org.heard.webform.WebFormRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heard wired together: every store and service built once (constructor injection only), with the
 * three tables that say how the parts meet: the features' routes, the periodic jobs, and the
 * reactions to what happens to stored responses. {@link HeardServer} runs it.
 */
final class Heard {
  private static final Logger LOG = LoggerFactory.getLogger(Heard.class);
  /** Abandoned web form answers are deleted after this long untouched. */
  static final Duration DRAFT_RETENTION = Duration.ofDays(30);
  private static final Duration SMS_FIRST_BACKOFF = Duration.ofMillis(500);
  /** Sign-ins waiting for the password worker beyond the one it checks; more are refused with 429. */
  private static final int PASSWORD_CHECKS_WAITING = 8;
  /** After a burst of this many, one Argon2 hash starts in each interval (each takes a core for about 100 ms). */
  private static final int PASSWORD_CHECK_BURST = 10;
  private static final Duration PASSWORD_CHECK_INTERVAL = Duration.ofSeconds(1);
  /** How long an address's failed sign-ins count (and it stays refused once over the limit). */
  private static final Duration SIGN_IN_WINDOW = Duration.ofMinutes(15);

  /** What Heard is made from: read and opened by {@link HeardServer} before anything is wired. */
  record Base(Vertx vertx, Config config, SurveyCatalog catalog, Messages messages, HeardMetrics metrics,
              Database database, Spool spool, String secret, DataDirectory dataDirectory, Clock clock) {
    String uploadsDirectory() {
      return dataDirectory.uploads().toString();
    }
  }

  final Base base;
  final boolean https;
  final ResponseEvents events = new ResponseEvents();
  final ResponseStore responseStore;
  final Backlog backlog;
  final ResponseService responses;
  final DraftStore drafts;
  final Pseudonyms pseudonyms;
  final NumberStore numbers;
  final OutboundQueue outbound;
  final PasswordWork passwords;
  final AccountAccess access;
  final SmsService sms;
  final TextBack textBack;
  final AuditLog audit;
  final StaffAccounts staff;
  final StaffSessions sessions;
  final ApiTokens tokens;
  final StaffGate gate;
  final EntryStore entries;
  final ErasureService erasure;
  final ErasureSignals erasureSignals;
  final JobLeases jobLeases;
  final ResponseRecords records;
  final BatchStore batches;
  final PaperEntryService paper;
  final AnalysisQueue analysisQueue;
  final AnalysisWorker analysis;
  final ThemeService themes;
  final ThemeAnchors themeAnchors;
  final DigestCounts digestCounts;
  final BackgroundJobs backgroundJobs;
  final SharedCounters sharedCounters;
  final StoredExports storedExports;
  final FormLimits formLimits;
  final Recount recount;
  final ActionStore actions;
  final SurveyVersions surveyVersions;
  final SurveySources surveySources;
  final SurveyChanges surveyChanges;
  final MetricsTokens metricsTokens;
  final SecretCheck secretCheck;
  final ActionService actionService;
  final IndicatorPacks packs;
  final DigestService digests;
  final Templates templates = new Templates(Stream.of(WebFormRoutes.TEMPLATES, ActionRoutes.TEMPLATES,
      StaffRoutes.TEMPLATES, PaperRoutes.TEMPLATES, RecordsRoutes.TEMPLATES, ErasureRoutes.TEMPLATES,
      DigestRoutes.TEMPLATES, PreviewRoutes.TEMPLATES, DefinitionRoutes.TEMPLATES, HealthRoutes.TEMPLATES, JobRoutes.TEMPLATES)
      .flatMap(List::stream).toList());
  final PublicPages publicPages;
  final StaffView staffView;
  final DiskSpace disk;

  Heard(Base base) {
    this.base = base;
    Config config = base.config();
    SurveyCatalog catalog = base.catalog();
    Clock clock = base.clock();
    var mongo = base.database().client();
    https = "https".equals(config.publicUrl().getScheme());
    disk = new DiskSpace(config.dataDir());
    responseStore = new ResponseStore(base.vertx(), mongo, events, base.database().isEmbedded());
    backlog = new Backlog(base.spool(), base.database());
    responses = new ResponseService(catalog, responseStore, backlog, base.metrics(), clock);
    drafts = new DraftStore(mongo);
    PhoneNumbers phones = new PhoneNumbers(catalog.partnership().country());
    pseudonyms = new Pseudonyms(base.secret(), phones);
    numbers = new NumberStore(mongo);
    SmsSender smsSender = config.sms().accountSid().isEmpty() ? null : new SmsSender(WebClient.create(base.vertx()),
        new SmsSender.Settings(config.sms().apiUrl(), config.sms().accountSid().get(),
            config.twilioAuthToken().orElseThrow(), config.sms().from().orElseThrow(), config.sms().sendsPerSecond()));
    // Nothing is texted to a number whose inbound messages (a STOP, perhaps) still wait in the spool.
    outbound = new OutboundQueue(base.vertx(), mongo, numbers, pseudonyms, smsSender,
        key -> base.spool().waitingFrom(key) != null, clock, SMS_FIRST_BACKOFF.toMillis());
    sms = new SmsService(base.vertx(), numbers,
        new SmsDialogue(catalog, base.messages(), pseudonyms, config.sms().idleTimeout()), responses, pseudonyms, backlog,
        outbound, clock);
    textBack = new TextBack(sms, backlog, pseudonyms, phones);
    audit = new AuditLog(mongo, clock);
    passwords = new PasswordWork(base.vertx(), PASSWORD_CHECKS_WAITING, PASSWORD_CHECK_INTERVAL,
        PASSWORD_CHECK_BURST);
    staff = new StaffAccounts(passwords, mongo, new PasswordHasher(), clock);
    sessions = new StaffSessions(mongo, clock);
    tokens = new ApiTokens(mongo, clock);
    gate = new StaffGate(sessions, tokens, staff, https);
    access = new AccountAccess(sessions, tokens);
    entries = new EntryStore(mongo);
    analysisQueue = new AnalysisQueue(mongo, clock, config.analysisRetry().toMillis());
    analysis = new AnalysisWorker(base.vertx(), responseStore, events, catalog, analysisQueue, clock);
    erasureSignals = new ErasureSignals(mongo, clock);
    jobLeases = new JobLeases(mongo, clock);
    erasure = new ErasureService(base.vertx(), new ErasureService.Stores(responseStore, entries, numbers, outbound,
        analysisQueue, base.spool(), base.database()),
        events, catalog, pseudonyms, sms, audit, erasureSignals, clock);
    records = new ResponseRecords(responseStore, events, catalog, audit, clock);
    batches = new BatchStore(mongo);
    paper = new PaperEntryService(catalog, batches, entries, responses, responseStore, textBack, audit, clock);
    themeAnchors = new ThemeAnchors(mongo, clock);
    backgroundJobs = new BackgroundJobs(mongo, clock);
    themes = new ThemeService(responseStore, themeAnchors, catalog,
        base.vertx().createSharedWorkerExecutor("heard-themes", 1, 10, TimeUnit.MINUTES), clock,
        ThemeClusterer.Settings.defaults(), base.vertx(), backgroundJobs);
    digestCounts = new DigestCounts(mongo, responseStore, catalog);
    actions = new ActionStore(mongo);
    surveyVersions = new SurveyVersions(mongo);
    surveySources = new SurveySources(mongo);
    metricsTokens = new MetricsTokens(mongo, clock);
    secretCheck = new SecretCheck(mongo, clock);
    // Checked as at start-up: the same loader, on a folder with the partnership, messages and definitions.
    surveyChanges = new SurveyChanges(base.vertx(), config.surveysDir(),
        dir -> Definitions.load(dir, Definitions.messages(dir)), surveySources, surveyVersions, catalog, clock);
    actionService = new ActionService(base.vertx(), actions, catalog, numbers, outbound, audit, clock, base.messages());
    packs = new IndicatorPacks(digestCounts, mongo, catalog.partnership(), clock);
    sharedCounters = new SharedCounters(mongo);
    storedExports = new StoredExports(mongo, clock);
    recount = new Recount(base.vertx(), digestCounts, responseStore, backgroundJobs);
    // One instance counts the web form's budget in memory; instances sharing a MongoDB count together.
    formLimits = base.database().isEmbedded() ? FormLimits.inMemory(config.webForms(), System::currentTimeMillis)
        : FormLimits.shared(config.webForms(), sharedCounters, pseudonyms::typedValue, backlog::queueing,
            System::currentTimeMillis);
    digests = new DigestService(digestCounts, recount, themes, actions, packs, surveyVersions, catalog.partnership());
    publicPages = new PublicPages(templates, base.messages(), catalog.partnership().name(), https);
    List<StaffSection> sections = new ArrayList<>();
    sections.add(PaperRoutes.SECTION);
    sections.add(DigestRoutes.SECTION);
    sections.add(ActionRoutes.SECTION);
    sections.addAll(StaffRoutes.SECTIONS);
    sections.add(ErasureRoutes.SECTION);
    sections.add(PreviewRoutes.SECTION);
    sections.add(DefinitionRoutes.SECTION);
    sections.add(HealthRoutes.SECTION);
    sections.add(JobRoutes.SECTION);
    staffView = new StaffView(templates, catalog.partnership().name(), sections);
  }

  /** The HTTP interface, feature by feature, in the order they are mounted. */
  List<FeatureRoutes> features() {
    Config config = base.config();
    SurveyCatalog catalog = base.catalog();
    Clock clock = base.clock();
    // Failed sign-ins per address count together on a shared MongoDB, as the web form's budget does.
    SignInThrottle throttle = base.database().isEmbedded()
        ? SignInThrottle.inMemory(config.signInFailuresPerAddress(), SIGN_IN_WINDOW, clock)
        : SignInThrottle.shared(config.signInFailuresPerAddress(), SIGN_IN_WINDOW, clock, sharedCounters,
            pseudonyms::typedValue);
    StaffLogin login = new StaffLogin(base.vertx(), staff, throttle, audit, pseudonyms::typedValue, clock);
    ThemeComments themeComments = new ThemeComments(themes, audit);
    PrintPages printPages = new PrintPages(paper, new PaperPrints(base.vertx(), templates, base.messages(),
        catalog.partnership(), batches, new PaperPrints.Settings(config.publicUrl().toString(),
            config.sms().from().orElse(null))), base.messages());
    return List.of(
        new HealthRoutes(new HealthHandlers(base.database(), base.spool(), disk, analysis), gate,
            base.metrics().registry(), metricsTokens, new MetricsTokenPages(staffView, metricsTokens, audit)),
        new ApiRoutes(new SurveyApi(catalog), new ResponseApi(responses)),
        new SmsRoutes(new SmsWebhook(sms, config.twilioAuthToken().orElse(null), config.publicUrl().toString())),
        new StaffRoutes(new StaffPages(staffView, login, sessions, staff, access, audit, gate, https),
            new PasswordPage(staffView, login, staff, access, sessions, gate, audit),
            new StaffApi(login, tokens, audit, clock)),
        new PaperRoutes(new EntryPages(staffView, paper, printPages), new ImportPages(staffView, paper,
            new PaperImport(paper, base.vertx(), backgroundJobs)), printPages),
        new RecordsRoutes(new ResponsePages(staffView, records, catalog), new RecordsApi(records)),
        new ErasureRoutes(new ErasurePages(staffView, erasure), new ErasureApi(erasure)),
        new ThemeRoutes(new ThemeApi(catalog, themes, themeComments, audit, clock)),
        new DigestRoutes(new DigestPages(staffView, catalog, digests, themeComments, audit, clock),
            new DigestApi(catalog, digests, packs, recount, audit, clock)),
        new JobRoutes(new JobApi(backgroundJobs), new JobPages(staffView, backgroundJobs)),
        new ExportRoutes(exportApi(catalog, clock)),
        new ActionRoutes(new ActionPages(staffView, catalog, actionService, themes),
            new YouSaidWeDidPage(catalog, actions, publicPages)),
        new DefinitionRoutes(new DefinitionPages(staffView, catalog, surveySources, surveyChanges, audit)),
        new PreviewRoutes(new PreviewPages(staffView, catalog, new SmsTranscript(base.messages(),
            new SmsPrompts(base.messages(), catalog.partnership()), catalog.partnership().name()), base.messages())),
        new WebFormRoutes(new WebFormPages(catalog, publicPages, drafts, responses, textBack,
            formLimits)));
  }

  private ExportApi exportApi(SurveyCatalog catalog, Clock clock) {
    ResponseExport export = new ResponseExport(responseStore, surveyVersions, catalog.partnership());
    return new ExportApi(catalog, export, themes, audit, clock,
        new ExportJobs(base.vertx(), export, storedExports, backgroundJobs, responseStore));
  }

  /** What follows from each thing that happens to a stored response. */
  void react() {
    events.onStored(analysis::stored);
    events.onStored(digestCounts::count);
    events.onCorrected((before, after) -> {
      digestCounts.recorrect(before, after);
      analysis.corrected(after);
    });
    events.onErased(digestCounts::uncount);
    events.onForgotten(responses::forgetKey);
    events.onForgotten(themes::erased);
    events.onAnalysed(themes::analysed);
    events.onAnalysed(response -> base.metrics().commentAnalysed());
  }

  /** Indexes, then everything that must happen before traffic is taken. */
  Future<Void> prepare() {
    StartUpTimes times = new StartUpTimes();
    // Instances sharing a database must share the secret, checked before anything is written.
    return times.stage("secret check", () -> secretCheck.verify(base.secret()))
        .compose(v -> times.stage("indexes", () -> HeardIndexes.create(this)))
        // The definitions in force are shared (a file edited since Heard last read it, or an upload);
        // one that would change what stored answers mean is refused, as validate refuses it.
        .compose(v -> times.stage("survey definitions", () -> surveyChanges.startUp()
            // Each definition run is kept, so exports keep the columns of questions since removed.
            .compose(x -> surveyVersions.record(base.catalog().all()))))
        // Whole-survey reads go by response numbers: a database from before them is numbered once.
        .compose(v -> times.stage("numbering", () -> responseStore.numberOldResponses().onSuccess(n -> {
          if (n > 0) {
            LOG.info("numbered {} responses stored before response numbers existed", n);
          }
        })))
        // A database from before digest counts existed (or restored without them) is counted once.
        .compose(v -> times.stage("digest counts", () -> digestCounts.empty().compose(empty -> empty
            ? digestCounts.recount(counted -> { }).onSuccess(n -> {
              if (n > 0) {
                LOG.info("digest counts rebuilt from {} stored responses", n);
              }
            }).mapEmpty() : Future.succeededFuture())))
        // Records acknowledged before an unclean stop are written again before new traffic.
        .compose(v -> times.stage("spool replay", backlog::drain))
        // Keys stored lately, so a key reused during an outage is refused as when the database is up.
        .compose(v -> times.stage("recent keys", responses::readRecentKeys))
        .compose(v -> times.stage("first administrator", () -> staff.ensureFirstAdmin(base.config().adminEmail(),
            base.config().adminPassword())))
        .onSuccess(created -> {
          LOG.info("ready for traffic: {}", times);
          if (created) {
            LOG.info("created the first administrator account from {}", Config.ADMIN_EMAIL);
          }
          // Retention reads each survey's responses (seconds at 100,000): once now, in the background,
          // then every 6 hours on one instance; traffic does not wait for it.
          erasure.applyRetention().onComplete(trimmed -> {
            if (trimmed.failed()) {
              LOG.warn("retention at start-up did not run ({}); the 6-hourly sweep tries again",
                  trimmed.cause().toString());
            } else if (trimmed.result() > 0) {
              LOG.info("retention: free text removed from {} responses past their survey's retention period",
                  trimmed.result());
            }
          });
        })
        .mapEmpty();
  }
}
