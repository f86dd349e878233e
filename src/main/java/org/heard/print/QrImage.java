package org.heard.print;

import io.nayuki.qrcodegen.QrCode.Ecc;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** A QR code as a PNG {@code data:} URI, for a printed page to lead a phone to a web address. */
public final class QrImage {
  /** The quiet zone around the code, in modules: four, as the standard asks. */
  private static final int BORDER = 4;

  private QrImage() {
  }

  /** {@code scale} pixels per module; medium error correction survives a crease or a smudge. */
  public static String pngDataUri(String text, int scale) {
    io.nayuki.qrcodegen.QrCode code = io.nayuki.qrcodegen.QrCode.encodeText(text, Ecc.MEDIUM);
    int size = (code.size + 2 * BORDER) * scale;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean dark = code.getModule(x / scale - BORDER, y / scale - BORDER);
        image.setRGB(x, y, dark ? 0x000000 : 0xFFFFFF);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }
}
