package org.heard.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Heard reads from its environment, read once at start-up. Every problem is reported
 * together, so an administrator fixes them in one go.
 *
 * @param httpHost        interface to listen on
 * @param httpPort        port to listen on; 0 picks a free one
 * @param dataDir         where the embedded store, the secret key file and the spool live
 * @param surveysDir      survey definitions and partnership.yaml
 * @param mongoUri        an external MongoDB; empty means the embedded store
 * @param mongoDatabase   database name used on that server
 * @param publicUrl       the externally visible base URL (links, SMS signature checks)
 * @param secret          key for pseudonymising hashes; empty means "use or create the key file"
 * @param adminEmail      first administrator's email, created when no administrator exists
 * @param adminPassword   first administrator's password
 * @param twilioAuthToken Twilio auth token for webhook signatures; empty refuses SMS webhooks
 * @param shutdownGrace   how long in-flight requests may take to finish on SIGTERM
 * @param webForms        limits on web form submissions
 * @param sms             the SMS channel's settings
 * @param analysisRetry   first back-off after a failed text analysis
 * @param acceptStoreLoss start even though the embedded store opened older than Heard last committed
 * @param connections     limits on the HTTP connections clients may hold
 * @param signInFailuresPerAddress failed sign-ins from one address (in 15 minutes) before it is refused
 * @param trustedProxies  reverse proxies whose forwarded headers name the client and its scheme
 */
public record Config(
    String httpHost,
    int httpPort,
    Path dataDir,
    Path surveysDir,
    Optional<String> mongoUri,
    String mongoDatabase,
    URI publicUrl,
    Optional<String> secret,
    Optional<String> adminEmail,
    Optional<String> adminPassword,
    Optional<String> twilioAuthToken,
    Duration shutdownGrace,
    WebForms webForms,
    Sms sms,
    Duration analysisRetry,
    boolean acceptStoreLoss,
    Connections connections,
    int signInFailuresPerAddress,
    TrustedProxies trustedProxies) {

  /**
   * Limits that keep slow or greedy clients from taking every connection (and file descriptor).
   *
   * @param maxTotal      open connections at most, over all clients
   * @param maxPerClient  open connections at most from one address; 0 means no per-address limit
   *                      (behind a reverse proxy every connection comes from the proxy)
   * @param headerTimeout a connection must send a complete request head within this, from when it
   *                      opens or its last response ended (also the keep-alive timeout)
   * @param bodyTimeout   a request's body must have arrived within this after its head
   */
  public record Connections(int maxTotal, int maxPerClient, Duration headerTimeout, Duration bodyTimeout) {
  }

  /**
   * Limits on the web form, counted in memory by each instance. Residents behind one address (a
   * library, a community centre, a proxy) each have their own form session, so none of these
   * counts requests per address alone.
   *
   * @param postsPerForm       pages one form session may send per minute: a person sends a few
   * @param newFormsPerHour    form sessions one address may start on one survey per hour
   * @param sendsPerMinute     completed forms one survey takes per minute, from everyone
   */
  public record WebForms(int postsPerForm, int newFormsPerHour, int sendsPerMinute) {
  }

  /**
   * The SMS channel.
   *
   * @param idleTimeout    a conversation silent this long ends; its answers so far are kept as partial
   * @param accountSid     Twilio account for outbound messages; empty disables sending
   * @param from           sender: a phone number or a Messaging Service SID (MG...)
   * @param apiUrl         Twilio's REST API base URL (a stand-in server in tests)
   * @param sendsPerSecond outbound messages per second, shared by every instance on the database
   */
  public record Sms(Duration idleTimeout, Optional<String> accountSid, Optional<String> from, URI apiUrl,
      int sendsPerSecond) {
  }

  public static final String HTTP_HOST = "HEARD_HTTP_HOST";
  public static final String HTTP_PORT = "HEARD_HTTP_PORT";
  public static final String DATA_DIR = "HEARD_DATA_DIR";
  public static final String SURVEYS_DIR = "HEARD_SURVEYS_DIR";
  public static final String MONGODB_URI = "MONGODB_URI";
  public static final String MONGODB_DATABASE = "HEARD_MONGODB_DATABASE";
  public static final String PUBLIC_URL = "HEARD_PUBLIC_URL";
  public static final String SECRET = "HEARD_SECRET";
  public static final String ADMIN_EMAIL = "HEARD_ADMIN_EMAIL";
  public static final String ADMIN_PASSWORD = "HEARD_ADMIN_PASSWORD";
  public static final String TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
  public static final String SHUTDOWN_GRACE_SECONDS = "HEARD_SHUTDOWN_GRACE_SECONDS";
  public static final String WEB_POSTS_PER_MINUTE = "HEARD_WEB_POSTS_PER_MINUTE";
  public static final String WEB_NEW_FORMS_PER_HOUR = "HEARD_WEB_NEW_FORMS_PER_HOUR";
  public static final String WEB_SENDS_PER_MINUTE = "HEARD_WEB_SENDS_PER_MINUTE";
  public static final String SMS_IDLE_SECONDS = "HEARD_SMS_IDLE_SECONDS";
  public static final String SMS_SENDS_PER_SECOND = "HEARD_SMS_SENDS_PER_SECOND";
  public static final String TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
  public static final String TWILIO_FROM = "TWILIO_FROM";
  public static final String TWILIO_API_URL = "TWILIO_API_URL";
  /** First back-off after a failed text analysis; it doubles on each retry. */
  public static final String ANALYSIS_RETRY_SECONDS = "HEARD_ANALYSIS_RETRY_SECONDS";
  /** Set to true, once, to start on an embedded store older than the one Heard last committed. */
  public static final String ACCEPT_STORE_LOSS = "HEARD_ACCEPT_STORE_LOSS";
  public static final String MAX_CONNECTIONS = "HEARD_MAX_CONNECTIONS";
  public static final String SIGN_IN_FAILURES_PER_ADDRESS = "HEARD_SIGN_IN_FAILURES_PER_ADDRESS";
  public static final String TRUSTED_PROXIES = "HEARD_TRUSTED_PROXIES";
  /** Read by logback.xml itself; checked here so a misspelt format stops start-up instead of silencing the logs. */
  public static final String LOG_FORMAT = "HEARD_LOG_FORMAT";
  public static final String MAX_CONNECTIONS_PER_CLIENT = "HEARD_MAX_CONNECTIONS_PER_CLIENT";
  public static final String HEADER_TIMEOUT_SECONDS = "HEARD_HEADER_TIMEOUT_SECONDS";
  public static final String BODY_TIMEOUT_SECONDS = "HEARD_BODY_TIMEOUT_SECONDS";

  /** A secret shorter than this is refused: it would make pseudonyms guessable. */
  static final int MIN_SECRET_LENGTH = 32;

  /** Reads the configuration from environment-style variables, reporting every problem at once. */
  public static Config from(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String host = value(env, HTTP_HOST).orElse("0.0.0.0");
    int port = intValue(env, HTTP_PORT, 8080, 0, 65535, problems);
    Path dataDir = Path.of(value(env, DATA_DIR).orElse("./data"));
    Path surveysDir = Path.of(value(env, SURVEYS_DIR).orElse("./surveys"));
    Optional<String> mongoUri = value(env, MONGODB_URI);
    mongoUri.filter(uri -> !uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://"))
        .ifPresent(uri -> problems.add(MONGODB_URI + " must start with mongodb:// or mongodb+srv://"));
    String database = value(env, MONGODB_DATABASE).orElse("heard");
    if (!database.matches("[A-Za-z0-9_-]{1,63}")) {
      problems.add(MONGODB_DATABASE + " must be 1-63 letters, digits, '_' or '-'");
    }
    URI publicUrl = publicUrl(env, port, problems);
    Optional<String> secret = value(env, SECRET);
    secret.filter(s -> s.length() < MIN_SECRET_LENGTH)
        .ifPresent(s -> problems.add(SECRET + " must be at least " + MIN_SECRET_LENGTH + " characters"));
    Optional<String> adminEmail = value(env, ADMIN_EMAIL);
    Optional<String> adminPassword = value(env, ADMIN_PASSWORD);
    if (adminEmail.isPresent() != adminPassword.isPresent()) {
      problems.add(ADMIN_EMAIL + " and " + ADMIN_PASSWORD + " must be set together");
    }
    adminEmail.filter(e -> !e.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))
        .ifPresent(e -> problems.add(ADMIN_EMAIL + " is not an email address"));
    adminPassword.filter(p -> p.length() < 12)
        .ifPresent(p -> problems.add(ADMIN_PASSWORD + " must be at least 12 characters"));
    int grace = intValue(env, SHUTDOWN_GRACE_SECONDS, 20, 0, 600, problems);
    WebForms webForms = new WebForms(intValue(env, WEB_POSTS_PER_MINUTE, 30, 1, 100_000, problems),
        intValue(env, WEB_NEW_FORMS_PER_HOUR, 1000, 1, 10_000_000, problems),
        intValue(env, WEB_SENDS_PER_MINUTE, 300, 1, 10_000_000, problems));
    Sms sms = sms(env, problems);
    int analysisRetrySeconds = intValue(env, ANALYSIS_RETRY_SECONDS, 30, 1, 3600, problems);
    Connections connections = new Connections(
        intValue(env, MAX_CONNECTIONS, defaultMaxConnections(), 16, 1_000_000, problems),
        intValue(env, MAX_CONNECTIONS_PER_CLIENT, 256, 0, 1_000_000, problems),
        Duration.ofSeconds(intValue(env, HEADER_TIMEOUT_SECONDS, 10, 1, 600, problems)),
        Duration.ofSeconds(intValue(env, BODY_TIMEOUT_SECONDS, 60, 1, 3600, problems)));
    int signInFailures = intValue(env, SIGN_IN_FAILURES_PER_ADDRESS, 20, 1, 100_000, problems);
    TrustedProxies proxies = value(env, TRUSTED_PROXIES).map(raw -> TrustedProxies.parse(raw, TRUSTED_PROXIES, problems))
        .orElse(TrustedProxies.none());
    value(env, LOG_FORMAT).filter(f -> !f.equals("plain") && !f.equals("json"))
        .ifPresent(f -> problems.add(LOG_FORMAT + " must be plain or json, not '" + f + "'"));
    String acceptLoss = value(env, ACCEPT_STORE_LOSS).orElse("false");
    if (!acceptLoss.equals("true") && !acceptLoss.equals("false")) {
      problems.add(ACCEPT_STORE_LOSS + " must be true or false, not '" + acceptLoss + "'");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Config(host, port, dataDir, surveysDir, mongoUri, database, publicUrl, secret,
        adminEmail, adminPassword, value(env, TWILIO_AUTH_TOKEN), Duration.ofSeconds(grace), webForms, sms,
        Duration.ofSeconds(analysisRetrySeconds), acceptLoss.equals("true"), connections,
        signInFailures, proxies);
  }

  /**
   * Three quarters of the file descriptors this process may open, so connections never take the
   * ones the store, the spool and the logs need; 10,000 where the limit cannot be read.
   */
  private static int defaultMaxConnections() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      return (int) Math.max(16, Math.min(1_000_000, unix.getMaxFileDescriptorCount() * 3 / 4));
    }
    return 10_000;
  }

  private static Sms sms(Map<String, String> env, List<String> problems) {
    int idleSeconds = intValue(env, SMS_IDLE_SECONDS, 24 * 60 * 60, 1, 30 * 24 * 60 * 60, problems);
    int perSecond = intValue(env, SMS_SENDS_PER_SECOND, 1, 1, 1000, problems);
    Optional<String> accountSid = value(env, TWILIO_ACCOUNT_SID);
    Optional<String> from = value(env, TWILIO_FROM);
    if (accountSid.isPresent() && (from.isEmpty() || value(env, TWILIO_AUTH_TOKEN).isEmpty())) {
      problems.add(TWILIO_ACCOUNT_SID + " needs " + TWILIO_FROM + " and " + TWILIO_AUTH_TOKEN + " to send messages");
    }
    accountSid.filter(sid -> !sid.matches("AC[0-9a-fA-F]{32}"))
        .ifPresent(sid -> problems.add(TWILIO_ACCOUNT_SID + " must be AC followed by 32 hex digits"));
    String rawApi = value(env, TWILIO_API_URL).orElse("https://api.twilio.com");
    URI api = URI.create("https://api.twilio.com");
    try {
      api = new URI(rawApi);
      if (!("http".equals(api.getScheme()) || "https".equals(api.getScheme())) || api.getHost() == null) {
        problems.add(TWILIO_API_URL + " must be an absolute http:// or https:// URL, not '" + rawApi + "'");
      }
    } catch (Exception e) {
      problems.add(TWILIO_API_URL + " is not a URL: '" + rawApi + "'");
    }
    return new Sms(Duration.ofSeconds(idleSeconds), accountSid, from, api, perSecond);
  }

  private static URI publicUrl(Map<String, String> env, int port, List<String> problems) {
    String raw = value(env, PUBLIC_URL).orElse("http://localhost:" + (port == 0 ? 8080 : port));
    try {
      URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        problems.add(PUBLIC_URL + " must be an absolute http:// or https:// URL, not '" + raw + "'");
      }
      return uri;
    } catch (Exception e) {
      problems.add(PUBLIC_URL + " is not a URL: '" + raw + "'");
      return URI.create("http://localhost");
    }
  }

  private static Optional<String> value(Map<String, String> env, String key) {
    return Optional.ofNullable(env.get(key)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static int intValue(Map<String, String> env, String key, int fallback, int min, int max,
      List<String> problems) {
    Optional<String> raw = value(env, key);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(raw.get());
      if (parsed < min || parsed > max) {
        problems.add(key + " must be between " + min + " and " + max + ", not " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, not '" + raw.get() + "'");
      return fallback;
    }
  }

  @Override
  public String toString() {
    // Secrets are never printed, even by accident in a log line.
    return "Config[httpHost=" + httpHost + ", httpPort=" + httpPort + ", dataDir=" + dataDir
        + ", surveysDir=" + surveysDir + ", mongo=" + (mongoUri.isPresent() ? "external" : "embedded")
        + ", publicUrl=" + publicUrl + "]";
  }
}
