package org.heard.web;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTML templates ({@code templates/*.mustache} in the jar), compiled once at start-up. Mustache
 * escapes every {@code {{value}}}, so free text from residents always shows as text.
 */
public final class Templates {
  static final String[] NAMES = {"list", "page", "check", "done", "notice", "you-said-we-did",
      "staff-login", "staff-home", "staff-notice", "staff-accounts", "staff-account", "staff-audit",
      "entry-surveys", "entry-start", "entry-batch", "entry-import", "entry-serial", "staff-response", "staff-erasure", "staff-digests", "staff-digest", "staff-actions", "staff-action", "staff-theme"};

  private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

  public Templates() {
    DefaultMustacheFactory factory = new DefaultMustacheFactory("templates");
    for (String name : NAMES) {
      compiled.put(name, factory.compile(name + ".mustache"));
    }
  }

  public String render(String name, Map<String, Object> model) {
    Mustache template = compiled.get(name);
    if (template == null) {
      throw new IllegalArgumentException("no template " + name);
    }
    StringWriter out = new StringWriter(4096);
    template.execute(out, model);
    return out.toString();
  }
}
