package org.heard.staff;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.heard.TestServer;

/** A member of staff's browser, over plain HTTP: a cookie jar, forms posted with their CSRF token. */
public final class StaffClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private TestServer server;
  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http;
  private String csrf;
  private String lastBody;

  /** The body of the last sign-in answer (the page with its error summary when refused). */
  public String lastBody() {
    return lastBody;
  }

  public StaffClient(TestServer server) {
    this.server = server;
    this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Later requests go to {@code other} (another instance on the same database), with the same cookies. */
  public StaffClient via(TestServer other) {
    this.server = other;
    return this;
  }

  /** Signs in through the login page; returns the status of the login POST (303 when it worked). */
  public int login(String email, String password) throws Exception {
    HttpResponse<String> page = get("/staff/login");
    HttpResponse<String> result = send(post("/staff/login", Map.of("csrf", csrfOf(page.body()), "email", email,
        "password", password)));
    lastBody = result.body();
    if (result.statusCode() == 303) {
      csrf = csrfOf(get("/staff").body());
    }
    return result.statusCode();
  }

  public HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20)).header("Accept", "text/html")
        .GET().build());
  }

  /** POSTs a staff form with this session's CSRF token added. */
  public HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.putIfAbsent("csrf", csrf == null ? "" : csrf);
    return send(post(path, all));
  }

  public String csrf() {
    return csrf;
  }

  private HttpRequest post(String path, Map<String, String> fields) {
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
    return http.send(request, body);
  }

  public CookieManager cookies() {
    return cookies;
  }

  static String csrfOf(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) {
      throw new AssertionError("no CSRF field on the page: " + html.substring(0, Math.min(500, html.length())));
    }
    return m.group(1);
  }

  /** {@code POST /api/v1/auth/token} with these credentials, whatever it answers. */
  public static HttpRequest tokenRequest(TestServer server, String email, String password) {
    return HttpRequest.newBuilder(server.uri("/api/v1/auth/token")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("email", email).put("password", password).encode()))
        .build();
  }

  /** A bearer token for the JSON API. */
  public static String token(TestServer server, String email, String password) throws Exception {
    HttpResponse<String> response = server.send(tokenRequest(server, email, password));
    if (response.statusCode() != 201) {
      throw new AssertionError("token refused: " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getString("token");
  }
}
