package org.heard.staff;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.auth.Role;
import org.heard.auth.StaffUser;
import org.heard.error.FieldError;
import org.heard.web.StaffGate;
import org.heard.web.Templates;

/** Renders staff pages: the shared model (who is signed in, the sections their role may use). */
public final class StaffView {
  private final Templates templates;
  private final String partnership;

  public StaffView(Templates templates, String partnership) {
    this.templates = templates;
    this.partnership = partnership;
  }

  /** A section of the staff site and the roles that see it (administrators see all). */
  private record Section(String href, String label, String description, List<Role> roles) {
  }

  private static final List<Section> SECTIONS = List.of(
      new Section("/staff/entry", "Paper entry", "key in paper forms, import a CSV, verify double entry",
          List.of(Role.OUTREACH)),
      new Section("/staff/digests", "Digests", "responses, indicators, themes, reach and actions for a period; print it for the board",
          List.of(Role.ANALYST, Role.BOARD)),
      new Section("/staff/actions", "You said, we did", "record and publish what was done about a theme",
          List.of(Role.ANALYST)),
      new Section("/staff/accounts", "Accounts", "add staff, change roles, disable accounts, reset passwords",
          List.of()),
      new Section("/staff/audit", "Audit log", "who read, entered, corrected or exported what, and when",
          List.of()),
      new Section("/staff/erasure", "Erasure", "erase everything held about one respondent or response",
          List.of()));

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
      for (Section section : SECTIONS) {
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
