package org.heard.paper;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heard.error.ClientText;
import org.heard.error.FieldError;
import org.heard.error.HeardException;
import org.heard.http.Templates;
import org.heard.i18n.Messages;
import org.heard.print.Pdf;
import org.heard.print.QrImage;
import org.heard.survey.Partnership;
import org.heard.survey.SurveyChannels;
import org.heard.survey.SurveyDefinition;

/**
 * Print-ready A4 PDFs from a survey's definition, in any of its languages and in large print: the
 * paper form (one copy per pre-printed serial of a batch, or one with a box for the serial) and a
 * poster. Both carry a QR code to the web form and the SMS keyword, for residents who would rather
 * answer on a phone. Laid out on a worker: a batch's forms are a few seconds of CPU.
 */
public final class PaperPrints {
  /** A printed batch is at most this many copies: larger stacks are printed as several batches. */
  public static final int MAX_COPIES = 500;

  /** Where the printed codes lead: the public address, and the number residents text (or null). */
  public record Settings(String publicUrl, String smsNumber) {
  }

  private final Vertx vertx;
  private final Templates templates;
  private final Messages messages;
  private final Partnership partnership;
  private final BatchStore batches;
  private final PrintedForm form;
  private final Settings settings;

  public PaperPrints(Vertx vertx, Templates templates, Messages messages, Partnership partnership, BatchStore batches,
      Settings settings) {
    this.vertx = vertx;
    this.templates = templates;
    this.messages = messages;
    this.partnership = partnership;
    this.batches = batches;
    this.settings = settings;
    this.form = new PrintedForm(new PaperCodes(partnership), messages);
  }

  /** What to print: the language, large print or not, and the batch whose serials to print (or null). */
  public record Request(String language, boolean largePrint, Batch batch) {
  }

  /** The paper form's PDF; a batch's serials are allocated the first time it is printed. */
  public Future<byte[]> paperForm(SurveyDefinition survey, Request request) {
    String lang = language(survey, request.language());
    Future<List<String>> serials = Future.succeededFuture(Collections.singletonList(null));
    if (request.batch() != null) {
      if (request.batch().expected() > MAX_COPIES) {
        String problem = "This batch has " + request.batch().expected() + " forms; print at most " + MAX_COPIES
            + " at once: start batches of " + MAX_COPIES + " or fewer.";
        return Future.failedFuture(new HeardException.Invalid("too-many-copies", problem,
            List.of(new FieldError("batch", "too_many", problem))));
      }
      serials = batches.printedSerials(request.batch()).map(PaperPrints::serialsOf);
    }
    return serials.compose(list -> {
      Map<String, Object> model = page(survey, lang, request.largePrint(),
          survey.title().in(lang, survey.defaultLanguage()).text());
      model.putAll(form.questions(survey, lang));
      List<Map<String, Object>> copies = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Map<String, Object> copy = new HashMap<>();
        copy.put("serial", list.get(i));
        copy.put("notFirst", i > 0);
        copies.add(copy);
      }
      model.put("copies", copies);
      return render("paper-form", model);
    });
  }

  /** A one-page poster or flyer: the survey's purpose, the QR code, the web address and the keyword. */
  public Future<byte[]> poster(SurveyDefinition survey, String language, boolean largePrint) {
    String lang = language(survey, language);
    Map<String, Object> model = page(survey, lang, largePrint, survey.title().in(lang, survey.defaultLanguage()).text());
    model.put("haveYourSay", messages.get(lang, "poster.title"));
    return render("poster", model);
  }

  private Future<byte[]> render(String template, Map<String, Object> model) {
    String xhtml = templates.render(template, model);
    return vertx.executeBlocking(() -> Pdf.fromXhtml(xhtml), false);
  }

  private static List<String> serialsOf(Batch batch) {
    Batch.Serials printed = batch.printed();
    List<String> serials = new ArrayList<>();
    for (int n = printed.first(); n <= printed.last(); n++) {
      serials.add(printed.serial(n));
    }
    return serials;
  }

  /** What every printed page has: the language and direction, the partnership, the ways to answer online. */
  private Map<String, Object> page(SurveyDefinition survey, String lang, boolean largePrint, String title) {
    Map<String, Object> model = new HashMap<>();
    model.put("lang", lang);
    model.put("dir", messages.isRightToLeft(lang) ? "rtl" : "ltr");
    // The PDF layout lays table cells out left to right whatever the direction: right-to-left rows
    // are written in reverse, so the box comes last, at the right, where an Arabic reader starts.
    model.put("rtl", messages.isRightToLeft(lang));
    model.put("large", largePrint);
    model.put("fontFamily", Pdf.FONT_FAMILY);
    model.put("title", title);
    model.put("partnership", partnership.name());
    if (survey.description() != null) {
      model.put("description", survey.description().in(lang, survey.defaultLanguage()).text());
    }
    SurveyChannels.Paper paper = survey.channels().paper();
    if (paper != null) {
      model.put("formCode", messages.get(lang, "paper.form.code", paper.formCode()));
    }
    model.put("serialLabel", messages.get(lang, "paper.serial"));
    model.put("how", messages.get(lang, "paper.how"));
    model.put("thanks", messages.get(lang, "paper.thanks"));
    model.put("monitoringTitle", messages.get(lang, "paper.monitoring.title"));
    model.put("monitoringIntro", survey.monitoringIntro() != null
        ? survey.monitoringIntro().in(lang, survey.defaultLanguage()).text() : messages.get(lang, "monitoring.default"));
    if (survey.channels().web()) {
      String url = settings.publicUrl().replaceAll("/+$", "") + "/surveys/" + survey.id() + "?lang=" + lang;
      model.put("qr", QrImage.pngDataUri(url, 4));
      model.put("online", messages.get(lang, "paper.online"));
      model.put("url", url);
      model.put("qrAlt", messages.get(lang, "paper.qr.alt"));
    }
    String keyword = keyword(survey, lang);
    if (keyword != null && settings.smsNumber() != null) {
      model.put("text", messages.get(lang, "paper.text", keyword, settings.smsNumber()));
    }
    return model;
  }

  /** The survey's SMS keyword in the form's language, else its first one; null without SMS. */
  private static String keyword(SurveyDefinition survey, String lang) {
    List<SurveyChannels.Keyword> keywords = survey.channels().smsKeywords();
    return keywords.stream().filter(k -> lang.equals(k.language())).map(SurveyChannels.Keyword::word).findFirst()
        .orElse(keywords.isEmpty() ? null : keywords.get(0).word());
  }

  private static String language(SurveyDefinition survey, String requested) {
    if (requested == null || requested.isBlank()) {
      return survey.defaultLanguage();
    }
    if (!survey.languages().contains(requested)) {
      String problem = "'" + ClientText.shorten(requested) + "' is not a language of this survey "
          + survey.languages() + ".";
      throw new HeardException.Invalid("invalid-language", problem,
          List.of(new FieldError("lang", "not_an_option", problem)));
    }
    return requested;
  }
}
