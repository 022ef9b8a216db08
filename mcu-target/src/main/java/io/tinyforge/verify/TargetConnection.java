package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.board.QemuSession;
import io.tinyforge.serial.SerialPortTransport;
import io.tinyforge.serial.StreamTransport;
import io.tinyforge.serial.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A running target and the link to it: QEMU with its UART on a pty (opened with jSerialComm), the host-board
 * firmware as a process (stdin/stdout), or a real board's serial port. Closing it stops what it started.
 */
public final class TargetConnection implements AutoCloseable {
  private final Transport transport;
  private final Supplier<Optional<String>> death;
  private final Runnable stop;
  private final String description;

  private TargetConnection(Transport transport, Supplier<Optional<String>> death, Runnable stop, String description) {
    this.transport = transport;
    this.death = death;
    this.stop = stop;
    this.description = description;
  }

  /** Starts QEMU on the ELF and opens its UART. */
  public static TargetConnection qemu(Board board, Path elf) {
    QemuSession q = QemuLauncher.start(board, elf);
    try {
      SerialPortTransport port = SerialPortTransport.open(q.ptyPath(), board.uart().baud());
      return new TargetConnection(port, () -> q.isAlive() ? Optional.empty()
          : Optional.of("QEMU exited with status " + q.waitForExit(java.time.Duration.ZERO).orElse(-1)
              + lastLine(q.output())), () -> {
                port.close();
                q.close();
              }, "QEMU " + board.qemu().map(Board.Qemu::machine).orElse(board.name()) + " on " + q.ptyPath());
    } catch (RuntimeException e) {
      q.close();
      throw e;
    }
  }

  /** Runs the host-board firmware as a process. */
  public static TargetConnection hostProcess(Path executable) {
    Process p;
    try {
      p = new ProcessBuilder(executable.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot start " + executable + " ("
          + e.getMessage() + ")");
    }
    StreamTransport t = StreamTransport.of(p, "host firmware process " + p.pid());
    return new TargetConnection(t, () -> p.isAlive() ? Optional.empty()
        : Optional.of("the firmware process exited with status " + p.exitValue()), () -> {
          t.close();
          p.destroy();
          try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
              p.destroyForcibly();
            }
          } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
          }
        }, "host firmware process " + p.pid());
  }

  /** Opens a real board's serial port (the firmware must already be flashed). */
  public static TargetConnection port(String path, int baud) {
    SerialPortTransport port = SerialPortTransport.open(path, baud);
    return new TargetConnection(port, Optional::empty, port::close, "serial port " + path);
  }

  private static String lastLine(String output) {
    String t = output.strip();
    if (t.isEmpty()) {
      return "";
    }
    int nl = t.lastIndexOf('\n');
    return " (" + (nl < 0 ? t : t.substring(nl + 1)) + ")";
  }

  public Transport transport() {
    return transport;
  }

  public Supplier<Optional<String>> deathCheck() {
    return death;
  }

  public String description() {
    return description;
  }

  @Override
  public void close() {
    stop.run();
  }
}
