package org.heard.paper;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A stack of paper forms from one venue and collection date, keyed together.
 *
 * @param expected how many forms are in the stack, as counted at the start (the "N" of "n of N")
 * @param forms    each keying made in this batch, in order
 * @param printed  the serials printed on this batch's forms, or null when its forms were not
 *                 printed by Heard: then any serial may be keyed into it
 */
public record Batch(
    String id,
    String surveyId,
    String formCode,
    String venue,
    LocalDate collectedOn,
    int expected,
    String note,
    String createdBy,
    Instant createdAt,
    List<Form> forms,
    Serials printed) {

  public Batch {
    forms = List.copyOf(forms);
  }

  /** A range of pre-printed serials: the form code, then a number of five digits ("CS26-00041"). */
  public record Serials(String formCode, int first, int last) {
    public String serial(int number) {
      return formCode + "-" + String.format("%05d", number);
    }

    public boolean contains(String serial) {
      String prefix = formCode + "-";
      if (!serial.startsWith(prefix) || !serial.substring(prefix.length()).matches("\\d{5}")) {
        return false;
      }
      int number = Integer.parseInt(serial.substring(prefix.length()));
      return number >= first && number <= last;
    }

    public String describe() {
      return serial(first) + " to " + serial(last);
    }
  }

  /** One keying in the batch: the serial, what came of it, and the response once there is one. */
  public record Form(String serial, String outcome, String responseId, String by) {
  }

  /** Forms keyed in this batch: each serial once, though with double entry it may be keyed here twice. */
  public int entered() {
    return (int) forms.stream().map(Form::serial).distinct().count();
  }

  /** Forms of this batch keyed a second time here (double entry): verified, or found to disagree. */
  public int keyedTwice() {
    return (int) forms.stream().filter(f -> f.outcome().equals(KeyingOutcome.VERIFIED.key())
        || f.outcome().equals(KeyingOutcome.MISMATCH.key())).map(Form::serial).distinct().count();
  }
}
