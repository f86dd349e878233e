package org.heard.xlsform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.heard.i18n.Messages;
import org.heard.survey.Area;
import org.heard.survey.DefinitionException;
import org.heard.survey.DefinitionProblem;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyDefinition;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * {@code import-xlsform FORM.xlsx [--out DIR] [--replace]} and {@code export-xlsform SURVEY [--surveys
 * DIR] [--out FILE.xlsx]}. An import is checked exactly as the server checks its surveys at start-up,
 * beside the surveys already in the directory, and written only when it passes.
 */
public final class XlsFormCommand {
  /** How the surveys directory is loaded and checked, as at start-up (the composition root supplies it). */
  public interface Definitions {
    SurveyCatalog load(Path directory);

    Messages messages(Path directory);
  }

  private XlsFormCommand() {
  }

  public static int importForm(List<String> args, Path defaultOut, Definitions definitions, PrintStream out,
                               PrintStream err) {
    Path form = null;
    Path outDir = defaultOut;
    boolean replace = false;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--out" -> outDir = i + 1 < args.size() ? Path.of(args.get(++i)) : null;
        case "--replace" -> replace = true;
        default -> form = form == null ? Path.of(args.get(i)) : null;
      }
    }
    if (form == null || outDir == null) {
      err.println("usage: java -jar heard.jar import-xlsform FORM.xlsx [--out SURVEYS-DIR] [--replace]");
      return 64;
    }
    XlsFormWorkbook book;
    try {
      book = readWorkbook(form);
    } catch (IOException e) {
      err.println(form + ": " + e.getMessage());
      return 1;
    }
    if (book.sheet("survey").isEmpty()) {
      err.println(form + ": has no survey sheet, so it is not an XLSForm (sheets: " + String.join(", ", book.sheets().keySet()) + ")");
      return 1;
    }
    SurveyCatalog existing;
    try {
      existing = definitions.load(outDir);
    } catch (DefinitionException e) {
      e.problems().forEach(err::println);
      err.println(outDir + ": the surveys already there must pass validate before a form is imported beside them");
      return 1;
    }
    Messages messages = definitions.messages(outDir);
    Set<String> areas = new LinkedHashSet<>(existing.partnership().areas().stream().map(Area::code).toList());
    XlsFormImport.Result result = XlsFormImport.convert(book, form.toString(), messages::supports, areas);
    result.reported().forEach(out::println);
    Path target = outDir.resolve(result.surveyId() + ".yaml");
    if (Files.exists(target) && !replace) {
      err.println(target + ": exists; pass --replace to overwrite it with this form");
      return 1;
    }
    String yaml = yaml(result, form);
    List<DefinitionProblem> problems = check(outDir, target, yaml, definitions);
    try {
      if (!problems.isEmpty()) {
        Path rejected = outDir.resolve(result.surveyId() + ".yaml.rejected");
        Files.writeString(rejected, yaml, StandardCharsets.UTF_8);
        problems.forEach(err::println);
        err.println(form + ": not imported: " + problems.size() + " problem(s) in the converted definition (kept as "
            + rejected + " to read; fix the form and import again)");
        return 1;
      }
      Files.writeString(target, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println(target + ": cannot be written: " + e.getMessage());
      return 1;
    }
    out.println(form + ": converted to " + target + ": " + result.questions() + " question(s) on " + result.pages()
        + " page(s), " + result.reported().size() + " line(s) reported above; it passes validate. Reload the survey "
        + "files at /staff/definitions (or restart the server) to use it");
    return 0;
  }

  public static int exportForm(List<String> args, Path defaultSurveys, Definitions definitions, PrintStream out,
                               PrintStream err) {
    String surveyId = null;
    Path surveys = defaultSurveys;
    Path file = null;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--surveys" -> surveys = i + 1 < args.size() ? Path.of(args.get(++i)) : null;
        case "--out" -> file = i + 1 < args.size() ? Path.of(args.get(++i)) : null;
        default -> surveyId = surveyId == null ? args.get(i) : null;
      }
    }
    if (surveyId == null || surveys == null) {
      err.println("usage: java -jar heard.jar export-xlsform SURVEY-ID [--surveys DIR] [--out FILE.xlsx]");
      return 64;
    }
    try {
      SurveyCatalog catalog = definitions.load(surveys);
      SurveyDefinition survey = catalog.find(surveyId).orElse(null);
      if (survey == null) {
        err.println(surveys + ": has no survey '" + surveyId + "' (it has: "
            + String.join(", ", catalog.all().stream().map(SurveyDefinition::id).toList()) + ")");
        return 1;
      }
      Path target = file == null ? Path.of(surveyId + ".xlsx") : file;
      try (var stream = Files.newOutputStream(target)) {
        XlsFormExport.write(survey, catalog.partnership(), definitions.messages(surveys), stream);
      }
      out.println(surveyId + ": written to " + target + " (survey, choices and settings sheets)");
      return 0;
    } catch (DefinitionException e) {
      e.problems().forEach(err::println);
      return 1;
    } catch (IOException e) {
      err.println("the XLSForm cannot be written: " + e.getMessage());
      return 1;
    }
  }

  static XlsFormWorkbook readWorkbook(Path form) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(form);
    } catch (IOException e) {
      throw new IOException("cannot be read: " + e.getMessage(), e);
    }
    if (bytes.length >= 4 && (bytes[0] & 0xFF) == 0xD0 && (bytes[1] & 0xFF) == 0xCF && bytes[2] == 0x11
        && (bytes[3] & 0xFF) == 0xE0) {
      throw new IOException("is an Excel 97-2003 (.xls) workbook, which Heard does not read: open it in a spreadsheet "
          + "and save it as .xlsx");
    }
    if (bytes.length < 2 || bytes[0] != 'P' || bytes[1] != 'K') {
      throw new IOException("is not an .xlsx workbook");
    }
    return XlsFormWorkbook.read(new ByteArrayInputStream(bytes));
  }

  /** The converted definition as YAML, headed by where it came from. */
  static String yaml(XlsFormImport.Result result, Path form) {
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
        .setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(120).setSplitLines(false).build();
    StringBuilder text = new StringBuilder("# Converted from the XLSForm " + form.getFileName() + " by heard "
        + "import-xlsform on " + LocalDate.now() + ".\n");
    if (!result.reported().isEmpty()) {
      text.append("# ").append(result.reported().size()).append(" row(s), column(s) or setting(s) were reported; ")
          .append("import again to see them.\n");
    }
    return text.append(new Dump(settings).dumpToString(result.definition())).toString();
  }

  /** The problems validate would print if the definition were written to {@code target}. */
  private static List<DefinitionProblem> check(Path outDir, Path target, String yaml, Definitions definitions) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("heard-xlsform");
      copyTree(outDir, scratch, target.getFileName().toString());
      Path written = scratch.resolve(target.getFileName().toString());
      Files.writeString(written, yaml, StandardCharsets.UTF_8);
      definitions.load(scratch);
      return List.of();
    } catch (DefinitionException e) {
      Path base = scratch;
      return e.problems().stream().map(p -> new DefinitionProblem(p.file().replace(base.toString(), outDir.toString()),
          p.path(), p.message())).toList();
    } catch (IOException e) {
      return List.of(new DefinitionProblem(outDir.toString(), "", "cannot be copied to check the import: " + e.getMessage()));
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private static void copyTree(Path from, Path to, String leaveOut) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(from)) {
      paths = walk.toList();
    }
    for (Path path : paths) {
      Path relative = from.relativize(path);
      if (relative.toString().equals(leaveOut) || relative.toString().isEmpty()) {
        continue;
      }
      if (Files.isDirectory(path)) {
        Files.createDirectories(to.resolve(relative.toString()));
      } else {
        Files.copy(path, to.resolve(relative.toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> paths = new ArrayList<>(walk.toList());
      paths.sort(Comparator.reverseOrder());
      for (Path path : paths) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A scratch copy left in the temporary directory is harmless.
    }
  }
}
