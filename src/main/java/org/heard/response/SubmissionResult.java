package org.heard.response;

/** The outcome of storing a submission: its response id, and whether this call created it. */
public record SubmissionResult(String responseId, boolean created) {
}
