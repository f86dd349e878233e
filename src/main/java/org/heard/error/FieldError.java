package org.heard.error;

/**
 * One problem with one field of a request.
 *
 * @param field   the path to the field, e.g. {@code answers.feel_safe_dark}
 * @param code    a stable machine-readable reason (e.g. {@code required}, {@code not_an_option}),
 *                so channels can word the message in the resident's language
 * @param message the reason in plain English
 */
public record FieldError(String field, String code, String message) {
}
