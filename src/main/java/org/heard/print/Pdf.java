package org.heard.print;

import com.openhtmltopdf.bidi.support.ICUBidiReorderer;
import com.openhtmltopdf.bidi.support.ICUBidiSplitter;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Print-ready PDFs from XHTML and CSS (openhtmltopdf on PDFBox): DejaVu Sans embedded, so Welsh,
 * Polish, Romanian, Arabic and Urdu letters print as they read on screen; ICU's bidi and Arabic
 * shaping for right-to-left text; a tagged PDF (PDF/UA) a screen reader can follow. Nothing is
 * fetched: the document may hold only {@code data:} images. Blocking, CPU-heavy: call on a worker.
 */
public final class Pdf {
  /** The family name the stylesheets use. */
  public static final String FONT_FAMILY = "DejaVu Sans";
  private static final String FONTS = "net/sf/jasperreports/fonts/dejavu/";

  private Pdf() {
  }

  /** The PDF of a well-formed XHTML document (with a {@code <title>}, which PDF/UA requires). */
  public static byte[] fromXhtml(String xhtml) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      new PdfRendererBuilder()
          .useFastMode()
          .usePdfUaAccessibility(true)
          .useFont(() -> font("DejaVuSans.ttf"), FONT_FAMILY, 400, BaseRendererBuilder.FontStyle.NORMAL, true)
          .useFont(() -> font("DejaVuSans-Bold.ttf"), FONT_FAMILY, 700, BaseRendererBuilder.FontStyle.NORMAL, true)
          .useUnicodeBidiSplitter(new ICUBidiSplitter.ICUBidiSplitterFactory())
          .useUnicodeBidiReorderer(new ICUBidiReorderer())
          .useExternalResourceAccessControl((uri, type) -> uri != null && uri.startsWith("data:"),
              ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI)
          .withHtmlContent(xhtml, null)
          .withProducer("Heard")
          .toStream(out)
          .run();
    } catch (IOException e) {
      throw new UncheckedIOException("the PDF could not be laid out", e);
    }
    return out.toByteArray();
  }

  private static InputStream font(String file) {
    InputStream in = Pdf.class.getClassLoader().getResourceAsStream(FONTS + file);
    if (in == null) {
      throw new IllegalStateException(FONTS + file + " is missing from the jar (jasperreports-fonts)");
    }
    return in;
  }
}
