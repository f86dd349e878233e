package org.heard.text;

import java.util.List;

/**
 * What the language work found in one comment.
 *
 * @param language   ISO 639-1 code of the detected language (or the form's language when the text
 *                   is too short to tell)
 * @param confidence the detector's confidence in that language, 0..1
 * @param analysed   whether Heard has a normaliser for the language (else only counted and grouped)
 * @param terms      normalised content words (lemmas or stems), stop words removed, in text order
 * @param keyPhrases normalised noun phrases (or content-word runs where no POS model exists)
 * @param surfaces   each key phrase as written (lower-cased), for readable theme labels
 * @param redacted   the comment with personal data replaced by typed markers
 */
public record TextAnalysis(
    String language,
    double confidence,
    boolean analysed,
    List<String> terms,
    List<String> keyPhrases,
    List<String> surfaces,
    String redacted) {
}
