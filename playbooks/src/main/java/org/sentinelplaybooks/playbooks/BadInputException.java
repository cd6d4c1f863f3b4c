package org.sentinelplaybooks.playbooks;

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
    if (text == null) {
      return null;
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * The request field at fault (a JSON path such as {@code object.id}), or null for the whole body.
   */
  public String field() {
    return field;
  }
}
