package org.heard;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.heard.backup.BackupCommand;
import org.heard.backup.MigrateCommand;
import org.heard.config.Config;
import org.heard.config.ConfigException;
import org.heard.i18n.Messages;
import org.heard.sms.SmsTexts;
import org.heard.survey.DefinitionException;
import org.heard.survey.SurveyCatalog;
import org.heard.survey.SurveyLoader;
import org.heard.themes.ThemeEvaluation;
import org.heard.xlsform.XlsFormCommand;

/**
 * Command line: {@code java -jar heard.jar} serves; {@code java -jar heard.jar validate [dir]}
 * checks the survey definitions and exits non-zero on problems; {@code import-xlsform} and
 * {@code export-xlsform} convert between XLSForms and survey definitions; {@code backup} and
 * {@code restore} copy the embedded store out and back; {@code migrate} moves it into a MongoDB.
 */
public final class Main {
  /** The surveys directory checked exactly as at start-up, for the XLSForm commands. */
  private static final XlsFormCommand.Definitions DEFINITIONS = new XlsFormCommand.Definitions() {
    @Override
    public SurveyCatalog load(Path directory) {
      return Definitions.load(directory, Definitions.messages(directory));
    }

    @Override
    public Messages messages(Path directory) {
      return Definitions.messages(directory);
    }
  };

  private Main() {
  }

  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs a command; returns the process exit status (serving returns 0 once started). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("validate")) {
      return validate(args.length > 1 ? Path.of(args[1]) : surveysDir(env, err), env, out, err);
    }
    if (args.length > 0 && args[0].equals("sms-texts")) {
      return smsTexts(args.length > 1 ? Path.of(args[1]) : surveysDir(env, err), out, err);
    }
    if (args.length > 0 && args[0].equals("import-xlsform")) {
      return XlsFormCommand.importForm(List.of(args).subList(1, args.length), surveysDir(env, err), DEFINITIONS, out, err);
    }
    if (args.length > 0 && args[0].equals("export-xlsform")) {
      return XlsFormCommand.exportForm(List.of(args).subList(1, args.length), surveysDir(env, err), DEFINITIONS, out, err);
    }
    if (args.length > 0 && args[0].equals("backup")) {
      return BackupCommand.backup(List.of(args).subList(1, args.length), env, out, err);
    }
    if (args.length > 0 && args[0].equals("restore")) {
      return BackupCommand.restore(List.of(args).subList(1, args.length), env, out, err);
    }
    if (args.length > 0 && args[0].equals("migrate")) {
      return MigrateCommand.migrate(List.of(args).subList(1, args.length), env, out, err);
    }
    if (args.length > 0 && args[0].equals("themes-eval")) {
      return ThemeEvaluation.run(List.of(args).subList(1, args.length), out, err);
    }
    if (args.length > 0) {
      err.println("usage: java -jar heard.jar [validate [surveys-dir] | sms-texts [surveys-dir] | import-xlsform FORM.xlsx "
          + "[--out surveys-dir] [--replace] | export-xlsform SURVEY-ID [--surveys dir] [--out FILE.xlsx] | themes-eval "
          + "FILE.csv [--themes K] [--max-themes N] [--lexical] | backup DIR | restore DIR | migrate --to URI]");
      return 64;
    }
    return serve(env, out, err);
  }

  private static Path surveysDir(Map<String, String> env, PrintStream err) {
    String dir = env.get(Config.SURVEYS_DIR);
    return Path.of(dir == null || dir.isBlank() ? "./surveys" : dir);
  }

  static int validate(Path directory, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      SurveyCatalog catalog = Definitions.load(directory, Definitions.messages(directory));
      // Stored answers keep their meaning: compared with the versions the database has run, as at start-up.
      StoredVersions.Comparison stored = StoredVersions.compare(env, catalog);
      if (!stored.problems().isEmpty()) {
        throw new DefinitionException(stored.problems());
      }
      out.println(directory + ": OK, partnership '" + catalog.partnership().name() + "' with "
          + catalog.all().size() + " survey(s): "
          + String.join(", ", catalog.all().stream().map(s -> s.id()).toList()) + "; " + stored.note());
      return 0;
    } catch (DefinitionException e) {
      e.problems().forEach(err::println);
      err.println(e.problems().size() + " problem(s) found in " + directory);
      return 1;
    }
  }

  /** Prints every fixed SMS text in every SMS survey language with its encoding and segments (tab-separated). */
  static int smsTexts(Path directory, PrintStream out, PrintStream err) {
    try {
      Messages messages = Definitions.messages(directory);
      SurveyCatalog catalog = SurveyLoader.load(directory);
      out.println("language\tkey\tencoding\tunits\tsegments\ttext");
      for (SmsTexts.Row row : SmsTexts.rows(catalog, messages)) {
        out.println(row.language() + "\t" + row.key() + "\t" + row.count().encoding() + "\t" + row.count().units()
            + "\t" + row.count().segments() + "\t" + row.text());
      }
      return 0;
    } catch (DefinitionException e) {
      e.problems().forEach(err::println);
      return 1;
    }
  }

  private static int serve(Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      HeardServer server = HeardServer.start(Config.from(env));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.stop();
        } catch (Exception e) {
          err.println("heard: shutdown did not complete cleanly: " + e);
        }
      }, "heard-shutdown"));
      out.println("Heard listening on " + server.localUrl());
      return 0;
    } catch (ConfigException e) {
      e.problems().forEach(problem -> err.println("heard: " + problem));
      return 78;
    } catch (DefinitionException e) {
      e.problems().forEach(err::println);
      err.println("heard: not started: " + e.problems().size() + " problem(s) in survey definitions");
      return 78;
    } catch (Exception e) {
      err.println("heard: could not start: " + e);
      return 1;
    }
  }
}
