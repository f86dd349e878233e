package org.heard.survey;

/** A ward or neighbourhood of the partnership; the code is a stable id (e.g. an ONS ward code). */
public record Area(String code, String name) {
}
