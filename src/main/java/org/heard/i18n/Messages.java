package org.heard.i18n;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Heard's own words (web form buttons, headings and errors; SMS instructions) in each interface
 * language, from {@code messages/<lang>.properties}; a missing language or key falls back to English.
 */
public final class Messages {
  public static final String DEFAULT_LANGUAGE = "en";
  private static final Set<String> LANGUAGES = Set.of("en", "pl");

  private final Map<String, Properties> byLanguage = new HashMap<>();

  public Messages() {
    for (String language : LANGUAGES) {
      byLanguage.put(language, load(language));
    }
  }

  private static Properties load(String language) {
    Properties properties = new Properties();
    try (InputStream in = Messages.class.getResourceAsStream("/messages/" + language + ".properties")) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("messages for " + language + " are missing from the jar", e);
    }
    return properties;
  }

  public boolean supports(String language) {
    return LANGUAGES.contains(language);
  }

  /** The text for {@code key} in {@code language} (else English), with {0}, {1}... filled in. */
  public String get(String language, String key, Object... args) {
    Properties properties = byLanguage.getOrDefault(language, byLanguage.get(DEFAULT_LANGUAGE));
    String pattern = properties.getProperty(key, byLanguage.get(DEFAULT_LANGUAGE).getProperty(key, key));
    return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.forLanguageTag(language)).format(args);
  }
}
