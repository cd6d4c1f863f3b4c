package org.sentinelplaybooks.playbooks.core;

/**
 * The request cannot be acted on as it is; names the field that is wrong. Nothing was changed. The
 * message quotes what the caller sent, with control characters escaped, so that it cannot forge a
 * line in the logs it is written to.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public BadInputException(String field, String message) {
    super(escapeControls(field == null ? message : field + ": " + message));
    this.field = field;
  }

  static String escapeControls(String text) {
    return EntityText.forLog(text);
  }

  /**
   * The request field at fault (a JSON path such as {@code object.id}), or null for the whole body.
   */
  public String field() {
    return field;
  }
}
