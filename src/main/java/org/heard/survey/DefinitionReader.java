package org.heard.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads values out of a parsed YAML/JSON tree for one file, recording a problem (with the path to
 * the key) for each value that is missing or of the wrong kind instead of stopping at the first.
 */
final class DefinitionReader {
  private final String file;
  private final List<DefinitionProblem> problems;

  DefinitionReader(String file, List<DefinitionProblem> problems) {
    this.file = file;
    this.problems = problems;
  }

  void problem(String path, String message) {
    problems.add(new DefinitionProblem(file, path, message));
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String item(String path, int index) {
    return path + "[" + index + "]";
  }

  /** The node as a map with string keys, or null (with a problem) when it is not a map. */
  Map<String, Object> map(Object node, String path) {
    if (node instanceof Map<?, ?> raw) {
      Map<String, Object> result = new LinkedHashMap<>();
      raw.forEach((k, v) -> result.put(String.valueOf(k), v));
      return result;
    }
    problem(path, "must be a mapping of keys to values" + found(node));
    return null;
  }

  /** The value under {@code key} as a map; null when absent (fine) or not a map (reported). */
  Map<String, Object> optionalMap(Map<String, Object> map, String key, String path) {
    Object value = map.get(key);
    return value == null ? null : map(value, child(path, key));
  }

  /** Reports every key that is not in {@code allowed}: a misspelt key must not be silently ignored. */
  void onlyKeys(Map<String, Object> map, String path, Set<String> allowed, String what) {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        problem(child(path, key), "unknown key for " + what + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
  }

  String string(Map<String, Object> map, String key, String path, boolean required) {
    Object value = map.get(key);
    if (value == null) {
      if (required) {
        problem(child(path, key), "is required");
      }
      return null;
    }
    if (value instanceof String s && !s.isBlank()) {
      return s.trim();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    problem(child(path, key), "must be a non-empty text" + found(value));
    return null;
  }

  Integer integer(Map<String, Object> map, String key, String path, boolean required) {
    Object value = map.get(key);
    if (value == null) {
      if (required) {
        problem(child(path, key), "is required");
      }
      return null;
    }
    if (value instanceof Integer || value instanceof Long) {
      long v = ((Number) value).longValue();
      if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        return (int) v;
      }
    }
    problem(child(path, key), "must be a whole number" + found(value));
    return null;
  }

  Double number(Map<String, Object> map, String key, String path) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    problem(child(path, key), "must be a number" + found(value));
    return null;
  }

  boolean bool(Map<String, Object> map, String key, String path) {
    Object value = map.get(key);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    problem(child(path, key), "must be true or false" + found(value));
    return false;
  }

  List<Object> list(Map<String, Object> map, String key, String path, boolean required) {
    Object value = map.get(key);
    if (value == null) {
      if (required) {
        problem(child(path, key), "is required");
      }
      return null;
    }
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    problem(child(path, key), "must be a list" + found(value));
    return null;
  }

  /**
   * A text in the survey's languages: either a mapping of language to text, or plain text meaning
   * the default language. The default language must be present.
   */
  LocalizedText text(Map<String, Object> map, String key, String path, boolean required, List<String> languages) {
    Object value = map.get(key);
    String keyPath = child(path, key);
    if (value == null) {
      if (required) {
        problem(keyPath, "is required");
      }
      return null;
    }
    String defaultLanguage = languages.isEmpty() ? "en" : languages.get(0);
    if (value instanceof String s) {
      if (s.isBlank()) {
        problem(keyPath, "must not be empty");
        return null;
      }
      return LocalizedText.of(defaultLanguage, s.trim());
    }
    Map<String, Object> byLanguage = map(value, keyPath);
    if (byLanguage == null) {
      return null;
    }
    Map<String, String> texts = new LinkedHashMap<>();
    byLanguage.forEach((language, text) -> {
      if (!languages.isEmpty() && !languages.contains(language)) {
        problem(child(keyPath, language), "language '" + language + "' is not in the survey's languages " + languages);
      } else if (!(text instanceof String s) || s.isBlank()) {
        problem(child(keyPath, language), "must be a non-empty text" + found(text));
      } else {
        texts.put(language, s.trim());
      }
    });
    if (!byLanguage.containsKey(defaultLanguage)) {
      problem(keyPath, "needs a text in the default language '" + defaultLanguage + "'");
      return null;
    }
    return texts.isEmpty() ? null : new LocalizedText(texts);
  }

  static String found(Object value) {
    if (value == null) {
      return "";
    }
    String kind = value instanceof Map ? "a mapping" : value instanceof List ? "a list"
        : value instanceof String ? "text '" + value + "'" : "'" + value + "'";
    return " (found " + kind + ")";
  }
}
