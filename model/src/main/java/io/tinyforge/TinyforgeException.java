package io.tinyforge;

/**
 * The one exception type for problems a user can fix: bad model, bad option, missing tool, failed check.
 * The CLI prints {@link #getMessage()} as a single line (no stack trace unless --verbose) and exits with
 * {@link #exitCode()}.
 */
public class TinyforgeException extends RuntimeException {
  /** The checked thing failed (e.g. a verification mismatch). */
  public static final int EXIT_CHECK_FAILED = 1;
  /** Bad input or usage: malformed model, unsupported op, unknown board. */
  public static final int EXIT_BAD_INPUT = 2;
  /** The environment lacks something: toolchain, QEMU, oracle. */
  public static final int EXIT_ENVIRONMENT = 3;

  private final int exitCode;

  public TinyforgeException(String message) {
    this(EXIT_BAD_INPUT, message, null);
  }

  public TinyforgeException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  public TinyforgeException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
