package io.tinyforge.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A serial port (a board's USB UART or QEMU's {@code -serial pty}) through jSerialComm: 8N1, no flow control,
 * semi-blocking reads in short slices so every read honours its own timeout. Baud is ignored by a pty.
 */
public final class SerialPortTransport implements Transport {
  private static final int SLICE_MS = 20;
  private static final long STALL_NANOS = 2_000_000_000L;

  private final String path;
  private final SerialPort port;

  private SerialPortTransport(String path, SerialPort port) {
    this.path = path;
    this.port = port;
  }

  /** Opens {@code path}; a missing or unopenable port fails at once with a one-line message. */
  public static SerialPortTransport open(String path, int baud) {
    if (path.startsWith("/") && !Files.exists(Path.of(path))) {
      throw new TargetException(TargetException.Kind.NO_PORT,
          "serial port " + path + " does not exist; check the --port name (ls /dev/tty* /dev/pts/*)");
    }
    SerialPort port;
    try {
      port = SerialPort.getCommPort(path);
    } catch (RuntimeException e) {
      throw new TargetException(TargetException.Kind.NO_PORT, "serial port " + path + " does not exist ("
          + e.getMessage() + "); check the --port name");
    }
    port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
    port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, SLICE_MS, 0);
    if (!port.openPort()) {
      throw new TargetException(TargetException.Kind.NO_PORT, "cannot open serial port " + path + " (error "
          + port.getLastErrorCode() + "; is it in use, or do you lack permission? try the dialout group)");
    }
    return new SerialPortTransport(path, port);
  }

  @Override
  public void write(byte[] data) {
    int done = 0;
    long lastProgress = System.nanoTime();
    while (done < data.length) {
      int n = port.writeBytes(data, data.length - done, done);
      if (n < 0) {
        throw new TargetException(TargetException.Kind.CLOSED, "serial port " + path + " closed while writing");
      }
      if (n > 0) {
        done += n;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
        // a pty whose other end has gone takes no more bytes without reporting an error
        throw new TargetException(TargetException.Kind.CLOSED, "serial port " + path
            + " takes no more bytes (the other end has gone)");
      } else {
        sleepBriefly();
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TargetException(TargetException.Kind.CLOSED, "interrupted while writing");
    }
  }

  @Override
  public int read(byte[] buf, int timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (true) {
      int n = port.readBytes(buf, buf.length);
      if (n != 0) {
        return n < 0 ? -1 : n;
      }
      if (System.nanoTime() >= deadline) {
        return 0;
      }
    }
  }

  @Override
  public String describe() {
    return "serial port " + path;
  }

  @Override
  public void close() {
    port.closePort();
  }
}
