package org.heard.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * First and last names for redaction, from every Latin-script locale of the lists datafaker
 * maintains and ships in its jar (about fifty: British, Irish, Indian, Pakistani, Nigerian, Ugandan,
 * South African, Turkish, Polish, Czech, Slovak, Croatian, Hungarian, Latvian, Albanian, Romanian,
 * Spanish, Portuguese and more), folded to lower case with and without accents. A listed name is a
 * cue, not proof: names that are also frequent English words ("rose", "mark", "will") are told
 * apart by the uncased BERT vocabulary (the 30,000 most frequent word pieces of English text, shipped
 * with the embedding model), and {@link Redactor} weighs capitals, tags and neighbours.
 */
final class PersonNames {
  private static final Set<String> FIRST_KEYS = Set.of("first_name", "male_first_name", "female_first_name");
  private static final Set<String> LAST_KEYS = Set.of("last_name", "male_last_name", "female_last_name");
  private static final Pattern LATIN_NAME = Pattern.compile("[\\p{IsLatin}][\\p{IsLatin}'’-]+");
  /** Surnames made with a prefix the lists cannot hold in full: O'Brien, McCarthy, MacLeod, Al-Sayed, El-Amin. */
  private static final Pattern IRISH_SCOTTISH_ARABIC = Pattern.compile("(?:O['’]|Mc|Mac|Al-|El-|al-|el-)\\p{Lu}\\p{Ll}+");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  /** Polish case endings, longest first, for "Kowalskiego", "Nowakiem", "Kasię", "Anną". */
  private static final List<String> POLISH_ENDINGS = List.of("iego", "iemu", "owi", "iem", "ego", "emu", "em",
      "ą", "ę", "ej", "a", "u", "y", "i", "e");
  private static final String VOCABULARY = "/bert-vocabulary-en.txt";
  /**
   * The vocabulary lists word pieces by frequency after about 2,000 reserved and single-character
   * entries; the first 8,000 lines hold the 6,000 or so most frequent English words, where "rose",
   * "mark" and "ford" are, and "winston", "ahmed" and "liam" are not.
   */
  private static final int FREQUENT_LINES = 8000;

  private final Set<String> first;
  private final Set<String> last;
  private final Set<String> frequentWords;

  private PersonNames(Set<String> first, Set<String> last, Set<String> frequentWords) {
    this.first = first;
    this.last = last;
    this.frequentWords = frequentWords;
  }

  private static volatile PersonNames shared;

  /** The lists, read once per process. */
  static PersonNames shared() {
    PersonNames names = shared;
    if (names == null) {
      synchronized (PersonNames.class) {
        if (shared == null) {
          shared = load();
        }
        names = shared;
      }
    }
    return names;
  }

  private static PersonNames load() {
    Set<String> first = new HashSet<>();
    Set<String> last = new HashSet<>();
    Load yaml = new Load(LoadSettings.builder().setCodePointLimit(16 * 1024 * 1024).build());
    for (String file : localeFiles()) {
      try (InputStream in = PersonNames.class.getResourceAsStream(file)) {
        collect(yaml.loadFromInputStream(in), first, last);
      } catch (IOException e) {
        throw new UncheckedIOException("name list " + file + " could not be read", e);
      }
    }
    if (first.isEmpty() || last.isEmpty()) {
      throw new IllegalStateException("no name lists on the classpath (datafaker)");
    }
    return new PersonNames(Set.copyOf(first), Set.copyOf(last), frequentWords());
  }

  /** Every locale file in datafaker's jar: {@code /xx.yml}, {@code /xx-YY.yml} and {@code /en/name.yml}. */
  private static List<String> localeFiles() {
    try {
      Path anyLocale = Path.of(PersonNames.class.getResource("/pl.yml").toURI());
      return list(anyLocale.getParent());
    } catch (FileSystemNotFoundException notMounted) {
      try (FileSystem jar = FileSystems.newFileSystem(PersonNames.class.getResource("/pl.yml").toURI(), Map.of())) {
        return list(jar.getPath("/"));
      } catch (FileSystemAlreadyExistsException mounted) {
        return listMounted();
      } catch (IOException | URISyntaxException e) {
        throw new IllegalStateException("datafaker's name lists could not be listed", e);
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException("datafaker's name lists could not be listed", e);
    }
  }

  /** Someone else opened the jar as a file system: list it through theirs (and leave it open). */
  private static List<String> listMounted() {
    try {
      return list(FileSystems.getFileSystem(PersonNames.class.getResource("/pl.yml").toURI()).getPath("/"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("datafaker's name lists could not be listed", e);
    }
  }

  private static List<String> list(Path root) {
    try (Stream<Path> files = Files.list(root)) {
      List<String> locales = files.map(path -> path.getFileName().toString().replace("/", ""))
          .filter(name -> name.matches("[a-z]{2}(-[A-Za-z]{2,5})?\\.yml")).map(name -> "/" + name).sorted().toList();
      return Stream.concat(locales.stream(), Stream.of("/en/name.yml")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void collect(Object node, Set<String> first, Set<String> last) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        Set<String> into = FIRST_KEYS.contains(key) ? first : LAST_KEYS.contains(key) ? last : null;
        if (into != null && entry.getValue() instanceof List<?> list) {
          for (Object name : list) {
            String value = String.valueOf(name).strip();
            if (LATIN_NAME.matcher(value).matches()) {
              into.add(value.toLowerCase(Locale.ROOT));
              into.add(fold(value));
            }
          }
        } else {
          collect(entry.getValue(), first, last);
        }
      }
    }
  }

  private static Set<String> frequentWords() {
    try (InputStream in = PersonNames.class.getResourceAsStream(VOCABULARY)) {
      if (in == null) {
        throw new IllegalStateException("the English word-piece vocabulary " + VOCABULARY + " is not on the classpath");
      }
      Set<String> words = new HashSet<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < Math.min(FREQUENT_LINES, lines.length); i++) {
        String word = lines[i].strip();
        if (word.length() > 1 && Character.isLetter(word.charAt(0))) {
          words.add(word);
        }
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lower case without accents: "Ayşe" and "Ayse" are one name. */
  static String fold(String word) {
    return MARKS.matcher(Normalizer.normalize(word.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)).replaceAll("");
  }

  boolean first(String word, String language) {
    return listed(first, word, language);
  }

  boolean last(String word, String language) {
    return listed(last, word, language) || IRISH_SCOTTISH_ARABIC.matcher(word).matches();
  }

  /** Whether {@code word} is also a frequent English word, so being listed proves little. */
  boolean frequent(String word) {
    return frequentWords.contains(word.toLowerCase(Locale.ROOT));
  }

  private static boolean listed(Set<String> names, String word, String language) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (names.contains(lower) || names.contains(fold(word))) {
      return true;
    }
    // Polish names decline ("Kowalskiego", "Kasię"); only a capitalised word is tried against the stems.
    if ("pl".equals(language) && lower.length() > 4 && Character.isUpperCase(word.codePointAt(0))) {
      for (String ending : POLISH_ENDINGS) {
        if (lower.endsWith(ending) && lower.length() - ending.length() >= 3) {
          String stem = lower.substring(0, lower.length() - ending.length());
          if (names.contains(stem) || names.contains(stem + "a") || names.contains(stem + "i")
              || names.contains(stem + "ia") || names.contains(stem + "ek")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
