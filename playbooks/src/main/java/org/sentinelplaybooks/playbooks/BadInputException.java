package org.sentinelplaybooks.playbooks;

/** The request cannot be acted on as it is; names the field that is wrong. Nothing was changed. */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public BadInputException(String field, String message) {
    super(field == null ? message : field + ": " + message);
    this.field = field;
  }

  /**
   * The request field at fault (a JSON path such as {@code object.id}), or null for the whole body.
   */
  public String field() {
    return field;
  }
}
