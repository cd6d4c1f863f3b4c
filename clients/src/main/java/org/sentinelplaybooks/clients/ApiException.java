package org.sentinelplaybooks.clients;

/**
 * The one error type of every client: a service answered with an error, or could not be reached.
 * The message carries the service's own error code and message, never a request header or token.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The code of a request that got no answer: the connection failed, was dropped or timed out. */
  public static final String CONNECTION_FAILED = "ConnectionFailed";

  /**
   * The code of a call refused unsent by the client's own pacing: the service's budget of calls is
   * spent, or the next slot comes after the run's deadline.
   */
  public static final String CALL_BUDGET_SPENT = "CallBudgetSpent";

  private final String service;
  private final int status;
  private final String code;

  public ApiException(String service, int status, String code, String message) {
    this(service, status, code, message, null);
  }

  public ApiException(String service, int status, String code, String message, Throwable cause) {
    super(describe(service, status, code, message), cause);
    this.service = service;
    this.status = status;
    this.code = code == null ? "" : code;
  }

  private static String describe(String service, int status, String code, String message) {
    StringBuilder text = new StringBuilder(service);
    if (status > 0) {
      text.append(" answered ").append(status);
    }
    if (code != null && !code.isBlank()) {
      text.append(' ').append(code);
    }
    if (message != null && !message.isBlank()) {
      text.append(": ").append(message);
    }
    return text.toString();
  }

  /** The service that failed, e.g. {@code Sentinel}. */
  public String service() {
    return service;
  }

  /** The HTTP status, or 0 when no response came back (connection refused, reset, timed out). */
  public int status() {
    return status;
  }

  /** The service's error code, e.g. {@code NotFound}; empty when the service gave none. */
  public String code() {
    return code;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  /** An optimistic-concurrency conflict: the etag sent is no longer the current one. */
  public boolean isConflict() {
    return status == 412 || status == 409;
  }

  /**
   * Whether the request may have been carried out although it failed: no answer came back, or a
   * server error that can follow the change (500, 502, 504). A request that must not be carried out
   * twice is looked for before it is sent again.
   */
  public boolean outcomeUnknown() {
    return (status == 0 && code.equals(CONNECTION_FAILED))
        || status == 500
        || status == 502
        || status == 504;
  }
}
