package io.tinyforge.serial;

import io.tinyforge.TinyforgeException;

/** A failure talking to a target; the message is one line meant for the user. */
public final class TargetException extends TinyforgeException {
  /** What went wrong, which decides the exit code. */
  public enum Kind {
    /** the port does not exist or cannot be opened */
    NO_PORT(EXIT_ENVIRONMENT),
    /** the other side closed the link (QEMU exited, cable pulled) */
    CLOSED(EXIT_ENVIRONMENT),
    /** no valid answer within the time and attempts allowed */
    TIMEOUT(EXIT_ENVIRONMENT),
    /** the target speaks another protocol version or answers nonsense */
    PROTOCOL(EXIT_ENVIRONMENT),
    /** the target answered with an ERROR message */
    TARGET_ERROR(EXIT_CHECK_FAILED);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }
  }

  private final Kind kind;
  private final int errorCode;

  public TargetException(Kind kind, String message) {
    this(kind, message, 0);
  }

  public TargetException(Kind kind, String message, int errorCode) {
    super(kind.exitCode, message);
    this.kind = kind;
    this.errorCode = errorCode;
  }

  public Kind kind() {
    return kind;
  }

  /** The protocol error code of a TARGET_ERROR, else 0. */
  public int errorCode() {
    return errorCode;
  }
}
