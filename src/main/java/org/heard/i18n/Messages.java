package org.heard.i18n;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.PluralRules;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Heard's own words (web form chrome, errors and hints, public pages, SMS instructions and replies)
 * in each interface language: one file per language, {@code messages/<lang>.properties}, in ICU
 * MessageFormat syntax, so plurals and numbers follow each language's CLDR rules. The files inside
 * the jar are found by listing that folder; a partnership adds or overrides a language by putting a
 * file in {@code <surveys>/messages/}. Adding a language changes no Java. A missing key falls back
 * to English when shown, and {@link MessageCheck} reports it.
 */
public final class Messages {
  public static final String DEFAULT_LANGUAGE = "en";
  static final String FOLDER = "messages";
  private static final String SUFFIX = ".properties";

  private final Map<String, Properties> byLanguage;

  /** The languages inside the jar only. */
  public Messages() {
    this(null);
  }

  /** The languages inside the jar, and those in {@code extraFolder} (which win), when it exists. */
  public Messages(Path extraFolder) {
    Map<String, Properties> found = new TreeMap<>(bundled());
    if (extraFolder != null && Files.isDirectory(extraFolder)) {
      found.putAll(read(extraFolder));
    }
    if (!found.containsKey(DEFAULT_LANGUAGE)) {
      throw new IllegalStateException("messages/" + DEFAULT_LANGUAGE + SUFFIX + " is missing from the jar");
    }
    Map<String, Properties> ordered = new LinkedHashMap<>();
    ordered.put(DEFAULT_LANGUAGE, found.remove(DEFAULT_LANGUAGE));
    ordered.putAll(found);
    this.byLanguage = ordered;
  }

  private static Map<String, Properties> bundled() {
    try {
      URI folder = Messages.class.getResource("/" + FOLDER + "/" + DEFAULT_LANGUAGE + SUFFIX).toURI();
      if (!"jar".equals(folder.getScheme())) {
        return read(Path.of(folder).getParent());
      }
      try (FileSystem jar = FileSystems.newFileSystem(folder, Map.of())) {
        return read(jar.getPath("/" + FOLDER));
      }
    } catch (URISyntaxException | IOException | NullPointerException e) {
      throw new IllegalStateException("the message files cannot be read from the jar", e);
    }
  }

  private static Map<String, Properties> read(Path folder) {
    Map<String, Properties> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path file : entries.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(SUFFIX) && name.substring(0, name.length() - SUFFIX.length()).matches("[a-z]{2,3}(-[A-Za-z0-9]+)*")) {
          files.put(name.substring(0, name.length() - SUFFIX.length()), load(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return files;
  }

  private static Properties load(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return properties;
  }

  /** Every language with a message file, English first, then by code. */
  public List<String> languages() {
    return List.copyOf(byLanguage.keySet());
  }

  public boolean supports(String language) {
    return language != null && byLanguage.containsKey(language);
  }

  /** The language's name in itself ("Cymraeg", "Polski"), as a language switch shows it. */
  public String name(String language) {
    return get(language, "language.name");
  }

  /** Whether the language is written right to left (Arabic, Urdu...), from CLDR's data. */
  public boolean isRightToLeft(String language) {
    return new ULocale(language).isRightToLeft();
  }

  /** The text for {@code key} in {@code language} (else English), with its arguments filled in. */
  public String get(String language, String key, Object... args) {
    String pattern = pattern(language, key);
    if (args.length == 0) {
      return pattern;
    }
    return new MessageFormat(pattern, new ULocale(supports(language) ? language : DEFAULT_LANGUAGE)).format(args);
  }

  /**
   * The forms of a count message for a script to choose from, by CLDR plural category: the file
   * holds {@code key.one}, {@code key.few}... as its language needs, {@code key.other} always; each
   * keeps its {@code {0}} for the script to fill in.
   */
  public Map<String, String> pluralForms(String language, String key) {
    Map<String, String> forms = new LinkedHashMap<>();
    for (String category : pluralCategories(language)) {
      forms.put(category, pattern(language, key + "." + category, key + ".other"));
    }
    return forms;
  }

  /** The CLDR plural categories of the language ("one", "few", "many", "other" for Polish). */
  public List<String> pluralCategories(String language) {
    List<String> categories = new ArrayList<>(PluralRules.forLocale(new ULocale(language)).getKeywords());
    categories.sort((a, b) -> Integer.compare(PLURAL_ORDER.indexOf(a), PLURAL_ORDER.indexOf(b)));
    return categories;
  }

  private static final List<String> PLURAL_ORDER = List.of("zero", "one", "two", "few", "many", "other");

  /** The raw pattern, falling back to {@code fallbackKey}, then to English, then to the key itself. */
  private String pattern(String language, String key, String... fallbackKey) {
    Properties own = byLanguage.get(supports(language) ? language : DEFAULT_LANGUAGE);
    Properties english = byLanguage.get(DEFAULT_LANGUAGE);
    String found = own.getProperty(key);
    for (String fallback : fallbackKey) {
      found = found != null ? found : own.getProperty(fallback);
    }
    return found != null ? found : english.getProperty(key, fallbackKey.length > 0
        ? english.getProperty(fallbackKey[0], key) : key);
  }

  /** The keys of a language's file, for {@link MessageCheck}. */
  Map<String, String> entries(String language) {
    Map<String, String> entries = new TreeMap<>();
    byLanguage.get(language).forEach((k, v) -> entries.put((String) k, (String) v));
    return entries;
  }
}
