package org.heard.i18n;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks every message file against English: each key is there, each pattern parses as ICU
 * MessageFormat, each uses the same arguments as the English one (a translation that drops
 * {@code {1}} would drop, say, the keyword to text), and each count message has the forms its
 * language's plural rules need.
 */
public final class MessageCheck {
  private static final Set<String> CATEGORIES = Set.of("zero", "one", "two", "few", "many", "other");

  /** One problem: the language's file, the key, what is wrong. */
  public record Problem(String language, String key, String message) {
    public String file() {
      return Messages.FOLDER + "/" + language + ".properties";
    }
  }

  private MessageCheck() {
  }

  public static List<Problem> problems(Messages messages) {
    List<Problem> problems = new ArrayList<>();
    Map<String, String> english = messages.entries(Messages.DEFAULT_LANGUAGE);
    for (String language : messages.languages()) {
      Map<String, String> own = messages.entries(language);
      Set<String> pluralBases = new TreeSet<>();
      for (Map.Entry<String, String> entry : english.entrySet()) {
        String key = entry.getKey();
        String base = pluralBase(key);
        if (base != null) {
          pluralBases.add(base);
          continue;
        }
        String text = own.get(key);
        if (text == null) {
          problems.add(new Problem(language, key, "missing (English: \"" + entry.getValue() + "\")"));
        } else {
          check(language, key, text, arguments(Messages.DEFAULT_LANGUAGE, entry.getValue()), problems, false);
        }
      }
      for (String base : pluralBases) {
        Set<String> expected = arguments(Messages.DEFAULT_LANGUAGE, english.get(base + ".other"));
        for (String category : messages.pluralCategories(language)) {
          String text = own.get(base + "." + category);
          if (text == null) {
            problems.add(new Problem(language, base + "." + category, "missing: " + language
                + "'s plural rules have the category \"" + category + "\""));
          } else {
            // A count form may spell its number out ("حرف واحد", one letter), so it need not use {0}.
            check(language, base + "." + category, text, expected, problems, true);
          }
        }
      }
    }
    return problems;
  }

  private static void check(String language, String key, String text, Set<String> expected, List<Problem> problems,
      boolean mayOmit) {
    Set<String> used;
    try {
      used = arguments(language, text);
    } catch (IllegalArgumentException broken) {
      problems.add(new Problem(language, key, "not a valid ICU message pattern (" + broken.getMessage() + "): \""
          + text + "\""));
      return;
    }
    if (mayOmit ? !expected.containsAll(used) : !used.equals(expected)) {
      problems.add(new Problem(language, key, "uses the arguments " + used + " where English uses " + expected
          + ": \"" + text + "\""));
    }
  }

  private static Set<String> arguments(String language, String pattern) {
    return new TreeSet<>(new MessageFormat(pattern, new ULocale(language)).getArgumentNames());
  }

  /** "text.left" for "text.left.few": keys whose last part is a plural category hold count forms. */
  private static String pluralBase(String key) {
    int dot = key.lastIndexOf('.');
    return dot > 0 && CATEGORIES.contains(key.substring(dot + 1)) ? key.substring(0, dot) : null;
  }
}
