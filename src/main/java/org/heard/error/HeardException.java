package org.heard.error;

import java.util.List;

/**
 * A failure with a meaning for the person or client that caused it. Each subtype is one kind of
 * failure; {@code org.heard.http.FailureHandler} maps them to HTTP in one place.
 */
public abstract sealed class HeardException extends RuntimeException
    permits HeardException.BadRequest, HeardException.Forbidden, HeardException.NotFound, HeardException.Conflict,
    HeardException.Invalid, HeardException.Unavailable, HeardException.UnsupportedMediaType,
    HeardException.PayloadTooLarge, HeardException.TooManyRequests, HeardException.Unauthorized {

  private final String type;
  private final List<FieldError> fieldErrors;

  protected HeardException(String type, String message, List<FieldError> fieldErrors, Throwable cause) {
    super(message, cause, false, false);
    this.type = type;
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  /** A short machine-readable name for the problem, e.g. {@code invalid-answers}. */
  public String type() {
    return type;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }

  /** The request itself cannot be read: malformed JSON, a missing header. */
  public static final class BadRequest extends HeardException {
    public BadRequest(String type, String message, List<FieldError> errors) {
      super(type, message, errors, null);
    }

    public BadRequest(String type, String message) {
      this(type, message, List.of());
    }
  }

  /** Who is asking is not known: no session or token, or one that expired or was revoked. */
  public static final class Unauthorized extends HeardException {
    public Unauthorized(String type, String message) {
      super(type, message, List.of(), null);
    }
  }

  /** The request is refused as it stands (a failed CSRF check, a missing role). */
  public static final class Forbidden extends HeardException {
    public Forbidden(String type, String message) {
      super(type, message, List.of(), null);
    }
  }

  /** The thing named in the request does not exist. */
  public static final class NotFound extends HeardException {
    public NotFound(String type, String message) {
      super(type, message, List.of(), null);
    }
  }

  /** The request conflicts with the state of the thing it names (closed survey, reused key). */
  public static final class Conflict extends HeardException {
    public Conflict(String type, String message) {
      super(type, message, List.of(), null);
    }
  }

  /** The request is well-formed but its content breaks the rules; every broken field is listed. */
  public static final class Invalid extends HeardException {
    public Invalid(String type, String message, List<FieldError> errors) {
      super(type, message, errors, null);
    }
  }

  /** Something the server depends on is down; nothing was stored, the client may retry. */
  public static final class Unavailable extends HeardException {
    public Unavailable(String type, String message, Throwable cause) {
      super(type, message, List.of(), cause);
    }
  }

  /** The client sent too much too fast; it may retry after {@code retryAfterSeconds}. */
  public static final class TooManyRequests extends HeardException {
    private final long retryAfterSeconds;

    public TooManyRequests(String message) {
      this(message, 60);
    }

    public TooManyRequests(String message, long retryAfterSeconds) {
      super("too-many-requests", message, List.of(), null);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  public static final class UnsupportedMediaType extends HeardException {
    public UnsupportedMediaType(String message) {
      super("unsupported-media-type", message, List.of(), null);
    }
  }

  public static final class PayloadTooLarge extends HeardException {
    public PayloadTooLarge(String message) {
      super("payload-too-large", message, List.of(), null);
    }
  }
}
