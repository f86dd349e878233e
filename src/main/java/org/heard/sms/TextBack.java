package org.heard.sms;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heard.error.HeardException;
import org.heard.privacy.PhoneNumbers;
import org.heard.privacy.Pseudonyms;
import org.heard.spool.Backlog;

/**
 * The number a web or paper respondent gives with a yes to a consent question, so they too hear
 * what was done: read as people write it, kept only encrypted (under the same respondent key an SMS
 * from that phone has, so one erasure by number removes it all), and recorded as that number's
 * consent for the survey as durably as a response: an acknowledged consent survives a crash.
 */
public final class TextBack {
  /** Spool records of consents given with a number, kept while the database is away. */
  public static final String SPOOL_KIND = "sms-consent";
  /** The form field (web) or box (paper) for a consent question's number: its id with this after it. */
  public static final String PHONE_SUFFIX = ".phone";
  /** Field error codes: a yes with no number, not a phone number, a number texts cannot reach. */
  public static final String PHONE_REQUIRED = "phone_required";
  public static final String PHONE_INVALID = "phone_invalid";
  public static final String PHONE_NOT_MOBILE = "phone_not_mobile";

  private final SmsService sms;
  private final Backlog backlog;
  private final Pseudonyms pseudonyms;
  private final PhoneNumbers phones;

  public TextBack(SmsService sms, Backlog backlog, Pseudonyms pseudonyms, PhoneNumbers phones) {
    this.sms = sms;
    this.backlog = backlog;
    this.pseudonyms = pseudonyms;
    this.phones = phones;
    backlog.register(SPOOL_KIND, record -> sms.recordConsent(record.getString("respondentKey"),
        record.getString("surveyId"), record.getString("contact"), record.getString("language")));
  }

  /**
   * A number to text, as stored: the respondent key and the number encrypted. Two contacts are the
   * same when their numbers are (each encryption of a number differs, its key does not).
   */
  public record Contact(String respondentKey, String encryptedNumber) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Contact contact && contact.respondentKey.equals(respondentKey);
    }

    @Override
    public int hashCode() {
      return respondentKey.hashCode();
    }

    /** Contacts by question id as a stored sub-document (the respondent key and the ciphertext). */
    public static JsonObject toDocument(Map<String, Contact> contacts) {
      JsonObject stored = new JsonObject();
      contacts.forEach((question, c) -> stored.put(question,
          new JsonObject().put("respondentKey", c.respondentKey()).put("contact", c.encryptedNumber())));
      return stored;
    }

    /** The contacts of a stored sub-document; none when it is absent. */
    public static Map<String, Contact> fromDocument(JsonObject stored) {
      Map<String, Contact> contacts = new LinkedHashMap<>();
      if (stored != null) {
        stored.forEach(e -> {
          JsonObject c = (JsonObject) e.getValue();
          contacts.put(e.getKey(), new Contact(c.getString("respondentKey"), c.getString("contact")));
        });
      }
      return contacts;
    }
  }

  /** The consent question a number field belongs to ("contact_ok" for "contact_ok.phone"), or null. */
  public static String consentOf(String field) {
    return field.endsWith(PHONE_SUFFIX) ? field.substring(0, field.length() - PHONE_SUFFIX.length()) : null;
  }

  /** The number to text back: the one given with a consent question answered yes, or null. */
  public static Contact consented(Map<String, ?> answers, Map<String, Contact> contacts) {
    return contacts.entrySet().stream().filter(e -> Boolean.TRUE.equals(answers.get(e.getKey())))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  /** What was typed as the number: a contact, or the code of what is wrong with it. */
  public record Reading(Contact contact, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  public Reading read(String typed) {
    if (typed == null || typed.isBlank()) {
      return new Reading(null, PHONE_REQUIRED);
    }
    String e164 = phones.e164(typed.strip()).orElse(null);
    if (e164 == null) {
      return new Reading(null, PHONE_INVALID);
    }
    if (!phones.canBeTexted(e164)) {
      return new Reading(null, PHONE_NOT_MOBILE);
    }
    return new Reading(new Contact(pseudonyms.respondentKey(e164), pseudonyms.encryptContact(e164)), null);
  }

  /** A mobile number of the partnership's country as its people write it, for error messages. */
  public String example() {
    return phones.exampleMobile();
  }

  /** The number as its owner would write it, for them (or the staff keying their form) to check. */
  public String shown(Contact contact) {
    return phones.national(pseudonyms.decryptContact(contact.encryptedNumber()));
  }

  /**
   * Records the consent with its number for the survey; completes once it is durable (in the
   * database, or in the spool until the database is back), or fails Unavailable.
   */
  public Future<Void> record(Contact contact, String surveyId, String language) {
    JsonObject record = new JsonObject()
        .put("respondentKey", contact.respondentKey())
        .put("contact", contact.encryptedNumber())
        .put("surveyId", surveyId)
        .put("language", language);
    return backlog.keep(SPOOL_KIND, record,
        () -> sms.recordConsent(contact.respondentKey(), surveyId, contact.encryptedNumber(), language),
        error -> new HeardException.Unavailable("store-unavailable",
            "The consent and number cannot be kept right now; nothing was stored. Please try again shortly.", error))
        .mapEmpty();
  }
}
