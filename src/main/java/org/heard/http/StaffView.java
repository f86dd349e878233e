package org.heard.http;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.auth.Role;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;

/** Renders staff pages: the shared model (who is signed in, the sections their role may use). */
public final class StaffView {
  private final Templates templates;
  private final String partnership;
  private final List<StaffSection> sections;

  /** {@code sections}: every feature's section of the staff site, in the order the navigation lists them. */
  public StaffView(Templates templates, String partnership, List<StaffSection> sections) {
    this.templates = templates;
    this.partnership = partnership;
    this.sections = List.copyOf(sections);
  }

  public Map<String, Object> model(RoutingContext ctx, String title) {
    Map<String, Object> model = new HashMap<>();
    model.put("title", title);
    model.put("partnership", partnership);
    StaffUser user = StaffGate.user(ctx);
    if (user != null) {
      model.put("user", Map.of("email", user.email(), "role", user.role().key(), "csrf", user.csrf()));
      model.put("csrf", user.csrf());
      String path = ctx.normalizedPath();
      List<Map<String, Object>> nav = new ArrayList<>();
      nav.add(Map.of("href", "/staff", "label", "Home", "description", "this page", "current", path.equals("/staff")));
      for (StaffSection section : sections) {
        if (user.role() == Role.ADMIN || section.roles().contains(user.role())) {
          nav.add(Map.of("href", section.href(), "label", section.label(), "description", section.description(),
              "current", path.startsWith(section.href())));
        }
      }
      model.put("nav", nav);
    }
    return model;
  }

  /** Adds an error summary (each error linking to its field, when the field is on the page). */
  public static void errors(Map<String, Object> model, List<FieldError> errors) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (FieldError error : errors) {
      Map<String, Object> item = new HashMap<>();
      item.put("text", error.message());
      if (error.field() != null && !error.field().isEmpty()) {
        item.put("href", "#" + error.field());
      }
      items.add(item);
      model.put(error.field() + "Error", error.message());
    }
    model.put("errors", items);
    model.put("hasErrors", !items.isEmpty());
  }

  /** After a successful POST: 303, so a reload never posts the form again. */
  public static void seeOther(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }

  public void send(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(templates.render(template, model));
  }

  public void send(RoutingContext ctx, String template, Map<String, Object> model) {
    send(ctx, 200, template, model);
  }
}
