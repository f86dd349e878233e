package org.heard.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * English renderings of one language's community-safety words ({@code /glossary/<language>.tsv}),
 * so that comments in that language can be given English sentence vectors and themed with English
 * comments: there is no multilingual sentence model in Maven Central. Each form is matched as
 * written and by its stem, so inflected forms the file does not list are found too. Immutable.
 */
final class Glossary {
  static final Glossary NONE = new Glossary(Map.of());

  private final Map<String, String> english;

  private Glossary(Map<String, String> english) {
    this.english = english;
  }

  /** The glossary for {@code language}, or {@link #NONE}; {@code stem} is the language's stemmer. */
  static Glossary load(String language, UnaryOperator<String> stem) {
    InputStream in = Glossary.class.getResourceAsStream("/glossary/" + language + ".tsv");
    if (in == null) {
      return NONE;
    }
    Map<String, String> english = new HashMap<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int tab = line.indexOf('\t');
        if (line.startsWith("#") || tab < 0) {
          continue;
        }
        String rendering = line.substring(0, tab).strip();
        for (String form : line.substring(tab + 1).strip().split("\\s+")) {
          String lower = form.toLowerCase(Locale.ROOT);
          // The first line that lists a form wins, as written and as a stem.
          english.putIfAbsent(lower, rendering);
          english.putIfAbsent("~" + stem.apply(lower), rendering);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the " + language + " glossary could not be read", e);
    }
    return new Glossary(Map.copyOf(english));
  }

  boolean isEmpty() {
    return english.isEmpty();
  }

  /** The English for a word, by its written form, its normal form (lemma) or its stem; else null. */
  String english(String lower, String norm, String stem) {
    String found = english.get(lower);
    if (found == null && norm != null) {
      found = english.get(norm);
    }
    if (found == null && norm != null) {
      found = english.get("~" + norm);
    }
    return found == null && stem != null ? english.get("~" + stem) : found;
  }
}
