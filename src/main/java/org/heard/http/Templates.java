package org.heard.http;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The HTML templates ({@code templates/*.mustache} in the jar), compiled once at start-up. Mustache
 * escapes every {@code {{value}}}, so free text from residents always shows as text.
 */
public final class Templates {
  /** The kernel's own pages: a notice for residents and one for staff (their layouts are partials). */
  private static final List<String> KERNEL = List.of("notice", "staff-notice");

  private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

  /** Compiles the kernel's templates and {@code featureTemplates}, which each feature declares. */
  public Templates(List<String> featureTemplates) {
    DefaultMustacheFactory factory = new DefaultMustacheFactory("templates");
    for (String name : Stream.concat(KERNEL.stream(), featureTemplates.stream()).toList()) {
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
