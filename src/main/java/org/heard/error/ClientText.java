package org.heard.error;

/** Makes a client-supplied value safe to echo in an error message: printable and short. */
public final class ClientText {
  private static final int MAX = 64;

  private ClientText() {
  }

  public static String shorten(String value) {
    String printable = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= MAX ? printable : printable.substring(0, MAX) + "…";
  }
}
