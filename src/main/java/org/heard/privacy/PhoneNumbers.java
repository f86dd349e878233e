package org.heard.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/**
 * Phone numbers as people and providers write them ("07700 900309", "+44 (0)7700 900309",
 * "0044 7700 900309", "447700900309"), parsed with Google's libphonenumber into one form, E.164
 * ("+447700900309"), so the same phone always gets the same respondent key wherever it enters:
 * an SMS, a consent, an erasure request. A number written without a country code is read as one of
 * {@code region} (the partnership's country).
 */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private final String region;

  public PhoneNumbers(String region) {
    if (!UTIL.getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException("'" + region + "' is not a country libphonenumber knows (like GB)");
    }
    this.region = region;
  }

  /**
   * The number in E.164, or empty when the text is not a phone number of a possible length. Ranges
   * reserved for drama (Ofcom's 07700 900xxx) are possible, not valid: they are accepted, as tests
   * and examples use them.
   */
  public Optional<String> e164(String typed) {
    if (typed == null || typed.isBlank() || typed.length() > 40) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber number = UTIL.parse(typed, region);
      if (UTIL.isPossibleNumberWithReason(number) != PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
        return Optional.empty();
      }
      return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** E.164 when it parses, else the text without spaces, brackets and dashes (a provider's short code). */
  public String normalise(String phoneNumber) {
    return e164(phoneNumber).orElseGet(() -> phoneNumber.replaceAll("[\\s()\\-]", ""));
  }
}
