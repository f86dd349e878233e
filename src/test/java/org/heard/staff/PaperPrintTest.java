package org.heard.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.heard.TestServer;
import org.heard.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The printed paper form and poster, rendered by the server and read back with PDFBox: the questions
 * in order with their codes and skip instructions, the monitoring page, the QR code (decoded), each
 * copy's serial for a batch (and keying held to them), other languages, large print.
 */
class PaperPrintTest {
  static final String ADMIN = "admin@example.org";
  static final String PASSWORD = "correct horse battery staple";
  static final String PUBLIC_URL = "http://safety.example.org";

  @RegisterExtension
  static final TestServer heard = TestServer.forClass(Map.of(Config.ADMIN_EMAIL, ADMIN, Config.ADMIN_PASSWORD,
      PASSWORD, Config.PUBLIC_URL, PUBLIC_URL));

  private static StaffClient outreach;

  @BeforeAll
  static void staff() throws Exception {
    StaffClient admin = new StaffClient(heard);
    assertEquals(303, admin.login(ADMIN, PASSWORD));
    assertEquals(303, admin.postForm("/staff/accounts", Map.of("email", "keyer@example.org", "role", "outreach",
        "password", PASSWORD)).statusCode());
    outreach = new StaffClient(heard);
    assertEquals(303, outreach.login("keyer@example.org", PASSWORD));
  }

  private static PDDocument pdf(String path) throws Exception {
    HttpResponse<byte[]> response = outreach.send(HttpRequest.newBuilder(heard.uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), new String(response.body()));
    assertEquals("application/pdf", response.headers().firstValue("Content-Type").orElseThrow());
    PDDocument document = Loader.loadPDF(response.body());
    keepForLooking(path, response.body(), document);
    return document;
  }

  /**
   * With {@code -Dheard.printDir=DIR}, each PDF fetched is kept there with a PNG of every page, for a
   * person to look at (the README's command).
   */
  private static void keepForLooking(String path, byte[] pdf, PDDocument document) throws IOException {
    String dir = System.getProperty("heard.printDir");
    if (dir == null) {
      return;
    }
    String name = path.replaceAll("^/staff/surveys/", "").replaceAll("[^A-Za-z0-9.-]+", "_");
    Path out = Files.createDirectories(Path.of(dir));
    Files.write(out.resolve(name + ".pdf"), pdf);
    PDFRenderer renderer = new PDFRenderer(document);
    for (int page = 0; page < Math.min(document.getNumberOfPages(), 8); page++) {
      ImageIO.write(renderer.renderImageWithDPI(page, 60), "png", out.resolve(name + "-p" + (page + 1) + ".png").toFile());
    }
  }

  private static String text(PDDocument document, int fromPage, int toPage) throws IOException {
    PDFTextStripper stripper = new PDFTextStripper();
    stripper.setStartPage(fromPage);
    stripper.setEndPage(toPage);
    // Arabic is printed in its shaped (presentation) forms: compare letters, not glyph forms.
    // Lines wrap where the layout puts them: compare with every run of spaces and breaks as one space.
    return Normalizer.normalize(stripper.getText(document), Normalizer.Form.NFKC).replaceAll("\\s+", " ");
  }

  private static String text(PDDocument document) throws IOException {
    return text(document, 1, document.getNumberOfPages());
  }

  /** Each text, found after the one before it. */
  private static void assertInOrder(String text, String... parts) {
    int at = 0;
    for (String part : parts) {
      int found = text.indexOf(part, at);
      assertTrue(found >= 0, "'" + part + "' after position " + at + " in:\n" + text);
      at = found + part.length();
    }
  }

  @Test
  void thePaperFormIsPrintedFromTheDefinitionWithCodesSkipsAndAQrCode() throws Exception {
    try (PDDocument form = pdf("/staff/surveys/community-safety/paper.pdf?lang=en")) {
      String all = text(form);
      assertInOrder(all, "Form CS26", "How safe do you feel where you live?", "Scan the code, or go to: "
              + PUBLIC_URL + "/surveys/community-safety?lang=en",
          "1. Which area do you live in?", "Mark one box.", "1 Northgate", "2. How many years",
          "3. How safe do you feel walking alone in your area during the day?", "1 Very unsafe", "5 Very safe",
          "7. In the last 12 months, have you been a victim", "(Go to question 9)", "8. Did you report it",
          "10. May we text you", "If Yes, write your mobile number here:");
      assertTrue(all.contains("Answer this only if you answered “Yes” to question 7."), all);
      int pages = form.getNumberOfPages();
      assertTrue(pages >= 2 && pages <= 6, pages + " pages");
      String last = text(form, pages, pages);
      assertTrue(last.contains("About you") && last.contains("What is your age?") && last.contains("Prefer not to say"),
          "the equality-monitoring questions on their own page: " + last);
      assertFalse(text(form, 1, pages - 1).contains("What is your age?"));
      assertEquals(PUBLIC_URL + "/surveys/community-safety?lang=en", qrOn(form.getPage(0)));
      assertTrue(all.contains("Serial number:"), "a box for the serial, written by hand");
    }
  }

  @Test
  void theFormIsPrintedInEachLanguageOfTheSurveyAndInLargePrint() throws Exception {
    try (PDDocument polish = pdf("/staff/surveys/community-safety/paper.pdf?lang=pl")) {
      String text = text(polish);
      assertInOrder(text, "Formularz CS26", "Zaznacz jedną kratkę.", "(Przejdź do pytania 9)",
          "Jeśli Tak, wpisz tutaj swój numer telefonu komórkowego:", "O Tobie");
      assertEquals(PUBLIC_URL + "/surveys/community-safety?lang=pl", qrOn(polish.getPage(0)));
    }
    try (PDDocument welsh = pdf("/staff/surveys/community-safety/paper.pdf?lang=cy")) {
      assertTrue(text(welsh).contains("Ffurflen CS26"));
    }
    try (PDDocument arabic = pdf("/staff/surveys/community-safety/paper.pdf?lang=ar")) {
      String text = text(arabic);
      for (String word : List.of("الاستمارة", "عنك", "نعم")) {
        assertTrue(text.contains(word) || text.contains(new StringBuilder(word).reverse().toString()),
            "'" + word + "' printed in Arabic letters: " + text.substring(0, Math.min(400, text.length())));
      }
    }
    try (PDDocument large = pdf("/staff/surveys/community-safety/paper.pdf?lang=en&large=1");
        PDDocument normal = pdf("/staff/surveys/community-safety/paper.pdf?lang=en")) {
      assertTrue(smallestFontSize(large) >= 16f, "large print is 16 pt at least: " + smallestFontSize(large));
      assertTrue(smallestFontSize(normal) < 12f);
      assertTrue(large.getNumberOfPages() > normal.getNumberOfPages());
    }
    HttpResponse<String> french = outreach.get("/staff/surveys/community-safety/paper.pdf?lang=fr");
    assertEquals(422, french.statusCode());
    assertTrue(french.body().contains("is not a language of this survey"), french.body());
    assertEquals(404, outreach.get("/staff/surveys/no-such-survey/paper.pdf").statusCode());
  }

  @Test
  void aBatchIsPrintedWithItsOwnSerialsAndOnlyThoseAreKeyedIntoIt() throws Exception {
    String batch = PaperEntryTest.startBatch(outreach, "community-safety", 3);
    String batchId = batch.substring(batch.lastIndexOf('/') + 1);
    String first;
    try (PDDocument copies = pdf("/staff/surveys/community-safety/paper.pdf?lang=en&batch=" + batchId)) {
      String text = text(copies);
      List<String> serials = new ArrayList<>();
      Matcher m = Pattern.compile("CS26-\\d{5}").matcher(text);
      while (m.find()) {
        if (!serials.contains(m.group())) {
          serials.add(m.group());
        }
      }
      assertEquals(3, serials.size(), "one serial per copy: " + serials);
      first = serials.get(0);
      try (PDDocument single = pdf("/staff/surveys/community-safety/paper.pdf?lang=en")) {
        assertEquals(3 * single.getNumberOfPages(), copies.getNumberOfPages(), "three whole copies");
      }
    }
    try (PDDocument again = pdf("/staff/surveys/community-safety/paper.pdf?lang=en&batch=" + batchId)) {
      assertTrue(text(again).contains(first), "printing the batch again prints the same serials");
    }
    String page = outreach.get(batch).body();
    assertTrue(page.contains("serial numbers " + first + " to "), page);

    var form = PaperEntryTest.communitySafetyForm(first);
    assertEquals(303, outreach.postForm(batch, form).statusCode(), outreach.lastBody());
    var stray = PaperEntryTest.communitySafetyForm("CS26-99999");
    HttpResponse<String> refused = outreach.postForm(batch, stray);
    assertEquals(422, refused.statusCode());
    assertTrue(refused.body().contains("Form CS26-99999 is not one printed for this batch"), refused.body());

    String other = PaperEntryTest.startBatch(outreach, "community-safety", 2);
    try (PDDocument next = pdf("/staff/surveys/community-safety/paper.pdf?batch="
        + other.substring(other.lastIndexOf('/') + 1))) {
      assertFalse(text(next).contains(first), "another batch gets other serials");
    }
  }

  @Test
  void aPosterHasThePurposeTheQrCodeAndTheKeyword() throws Exception {
    try (PDDocument poster = pdf("/staff/surveys/community-safety/poster.pdf?lang=en")) {
      assertEquals(1, poster.getNumberOfPages());
      assertInOrder(text(poster), "Have your say", "How safe do you feel where you live?",
          PUBLIC_URL + "/surveys/community-safety?lang=en");
      assertEquals(PUBLIC_URL + "/surveys/community-safety?lang=en", qrOn(poster.getPage(0)));
    }
    try (PDDocument polish = pdf("/staff/surveys/community-safety/poster.pdf?lang=pl")) {
      assertTrue(text(polish).contains("Wyraź swoje zdanie"));
    }
  }

  private static float smallestFontSize(PDDocument document) throws IOException {
    float[] smallest = {Float.MAX_VALUE};
    PDFTextStripper stripper = new PDFTextStripper() {
      @Override
      protected void writeString(String text, List<TextPosition> positions) throws IOException {
        for (TextPosition p : positions) {
          if (!p.getUnicode().isBlank()) {
            smallest[0] = Math.min(smallest[0], p.getFontSizeInPt());
          }
        }
        super.writeString(text, positions);
      }
    };
    stripper.getText(document);
    return smallest[0];
  }

  /** The text of the QR code drawn on a page, decoded from its image. */
  private static String qrOn(PDPage page) throws Exception {
    for (COSName name : page.getResources().getXObjectNames()) {
      if (page.getResources().getXObject(name) instanceof PDImageXObject image) {
        BufferedImage picture = image.getImage();
        int[] pixels = picture.getRGB(0, 0, picture.getWidth(), picture.getHeight(), null, 0, picture.getWidth());
        RGBLuminanceSource source = new RGBLuminanceSource(picture.getWidth(), picture.getHeight(), pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
      }
    }
    throw new AssertionError("no image on the page");
  }
}
