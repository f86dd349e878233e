package org.heard.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Phone numbers as people and providers write them ("07700 900309", "+44 (0)7700 900309",
 * "0044 7700 900309", "447700900309"), parsed with Google's libphonenumber into one form, E.164
 * ("+447700900309"), so the same phone always gets the same respondent key wherever it enters:
 * an SMS, a consent, an erasure request. A number written without a country code is read as one of
 * {@code region} (the partnership's country).
 */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /** Kinds of number a text message cannot reach (a landline, a freephone or premium line). */
  private static final Set<PhoneNumberUtil.PhoneNumberType> NOT_TEXTABLE = EnumSet.of(
      PhoneNumberUtil.PhoneNumberType.FIXED_LINE, PhoneNumberUtil.PhoneNumberType.TOLL_FREE,
      PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE, PhoneNumberUtil.PhoneNumberType.SHARED_COST,
      PhoneNumberUtil.PhoneNumberType.UAN, PhoneNumberUtil.PhoneNumberType.VOICEMAIL,
      PhoneNumberUtil.PhoneNumberType.PERSONAL_NUMBER);

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

  /**
   * Whether a number (in E.164) may be a mobile: false for the kinds texts cannot reach. A number in
   * no known range (Ofcom's drama numbers, say) is given the benefit of the doubt.
   */
  public boolean canBeTexted(String e164) {
    try {
      return !NOT_TEXTABLE.contains(UTIL.getNumberType(UTIL.parse(e164, region)));
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** The number as people of the partnership's country write it ("07700 900309"), else as given. */
  public String national(String e164) {
    try {
      Phonenumber.PhoneNumber number = UTIL.parse(e164, region);
      return UTIL.format(number, number.getCountryCode() == UTIL.getCountryCodeForRegion(region)
          ? PhoneNumberUtil.PhoneNumberFormat.NATIONAL : PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
    } catch (NumberParseException e) {
      return e164;
    }
  }

  /** libphonenumber's example of a mobile number of the country, written as its people write it. */
  public String exampleMobile() {
    Phonenumber.PhoneNumber example = UTIL.getExampleNumberForType(region, PhoneNumberUtil.PhoneNumberType.MOBILE);
    return example == null ? "" : UTIL.format(example, PhoneNumberUtil.PhoneNumberFormat.NATIONAL);
  }

  /** E.164 when it parses, else the text without spaces, brackets and dashes (a provider's short code). */
  public String normalise(String phoneNumber) {
    return e164(phoneNumber).orElseGet(() -> phoneNumber.replaceAll("[\\s()\\-]", ""));
  }
}
