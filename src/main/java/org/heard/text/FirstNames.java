package org.heard.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * First names for redaction, from the lists datafaker maintains and ships in its jar (English,
 * British and Polish lists). A name list is a cue, not proof: {@link Redactor} also wants a
 * capital letter, a proper-noun tag where a tagger exists, and no place word after it.
 */
final class FirstNames {
  private static final List<String> FILES = List.of("/en/name.yml", "/pl.yml", "/en-GB.yml");
  private static final List<String> KEYS = List.of("first_name", "male_first_name", "female_first_name");

  private final Set<String> names;

  private FirstNames(Set<String> names) {
    this.names = names;
  }

  private static volatile FirstNames shared;

  /** The lists, read once per process. */
  static FirstNames shared() {
    FirstNames names = shared;
    if (names == null) {
      synchronized (FirstNames.class) {
        if (shared == null) {
          shared = load();
        }
        names = shared;
      }
    }
    return names;
  }

  static FirstNames load() {
    Set<String> names = new HashSet<>();
    Load yaml = new Load(LoadSettings.builder().setCodePointLimit(16 * 1024 * 1024).build());
    for (String file : FILES) {
      try (InputStream in = FirstNames.class.getResourceAsStream(file)) {
        if (in == null) {
          continue;
        }
        collect(yaml.loadFromInputStream(in), names);
      } catch (IOException e) {
        throw new IllegalStateException("first-name list " + file + " could not be read", e);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalStateException("no first-name list on the classpath (datafaker)");
    }
    return new FirstNames(Set.copyOf(names));
  }

  @SuppressWarnings("unchecked")
  private static void collect(Object node, Set<String> names) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (KEYS.contains(String.valueOf(entry.getKey())) && entry.getValue() instanceof List<?> list) {
          for (Object name : list) {
            String value = String.valueOf(name);
            if (!value.contains("#{")) {
              names.add(value.toLowerCase(Locale.ROOT));
            }
          }
        } else {
          collect(entry.getValue(), names);
        }
      }
    }
  }

  /** Whether {@code word} is a listed first name, allowing Polish case endings (Anną, Piotra). */
  boolean contains(String word, String language) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (names.contains(lower)) {
      return true;
    }
    if ("pl".equals(language) && lower.length() > 4) {
      for (int cut = 1; cut <= 3 && lower.length() - cut >= 3; cut++) {
        String stem = lower.substring(0, lower.length() - cut);
        if (names.contains(stem) || names.contains(stem + "a")) {
          return true;
        }
      }
    }
    return false;
  }
}
