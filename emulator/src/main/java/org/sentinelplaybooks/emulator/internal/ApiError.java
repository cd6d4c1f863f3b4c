package org.sentinelplaybooks.emulator.internal;

/** An error answer in the service's own error shape. */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, "NotFound", what + " was not found.");
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message);
  }
}
