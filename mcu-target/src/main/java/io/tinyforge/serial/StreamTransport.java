package io.tinyforge.serial;

import io.tinyforge.board.PumpedInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * A transport over a pair of streams, e.g. the stdin/stdout of a host-board firmware process. The input stream is
 * pumped into a {@link PumpedInput} so that reads can time out.
 */
public final class StreamTransport implements Transport {
  private static final int CAPACITY = 1 << 16;

  private final String description;
  private final InputStream in;
  private final OutputStream out;
  private final PumpedInput input;

  public StreamTransport(String description, InputStream in, OutputStream out) {
    this.description = description;
    this.in = in;
    this.out = out;
    this.input = new PumpedInput(in::read, CAPACITY, "transport reader " + description);
  }

  /** The stdin/stdout of a running process (stderr must be redirected elsewhere by the caller). */
  public static StreamTransport of(Process process, String description) {
    return new StreamTransport(description, process.getInputStream(), process.getOutputStream());
  }

  @Override
  public void write(byte[] data) {
    try {
      out.write(data);
      out.flush();
    } catch (IOException e) {
      throw new TargetException(TargetException.Kind.CLOSED, description + " closed (" + e.getMessage() + ")");
    }
  }

  @Override
  public int read(byte[] buf, int timeoutMs) {
    return input.read(buf, 0, buf.length, TimeUnit.MILLISECONDS.toNanos(timeoutMs));
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
