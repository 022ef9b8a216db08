package io.tinyforge.serial;

/** A byte pipe to a target: a serial port, a pty, a process's stdin/stdout, or a fault-injecting wrapper. */
public interface Transport extends AutoCloseable {
  /** Writes all bytes; a link that has gone throws {@link TargetException} (kind CLOSED). */
  void write(byte[] data);

  /**
   * Waits up to {@code timeoutMs} for at least one byte and returns how many were put in {@code buf}: 0 on timeout,
   * -1 when the other side has closed the link.
   */
  int read(byte[] buf, int timeoutMs);

  /** What this is, for messages: "serial port /dev/pts/3". */
  String describe();

  @Override
  void close();
}
