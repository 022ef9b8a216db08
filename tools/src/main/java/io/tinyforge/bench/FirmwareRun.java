package io.tinyforge.bench;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardException;
import io.tinyforge.board.PtyPort;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.board.QemuSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One run of a generated firmware under QEMU, started by {@link QemuLauncher} (so with the product's
 * {@code -icount shift=0,sleep=off}), talking the generated main's console protocol: the host pings until
 * {@code READY}, reads {@code OUTPUT i <hex>} lines and {@code COUNT <n> <unit>} up to {@code DONE}, then sends one
 * byte so the firmware exits.
 *
 * @param outputs the model's outputs for the all-zero input, as signed int8 values, all outputs in order
 * @param count what the on-target counter measured around model_invoke()
 * @param unit the counter's unit ("instructions" under QEMU)
 */
public record FirmwareRun(List<Integer> outputs, long count, String unit) {
  private static final int PING_TRIES = 100;
  private static final Duration PING_WAIT = Duration.ofMillis(300);

  /** Boots {@code elf} on the QEMU {@code board}; {@code runLimit} bounds the wait for each line after READY. */
  public static FirmwareRun run(Board board, Path elf, Duration runLimit) {
    List<String> lines = new ArrayList<>();
    try (QemuSession qemu = QemuLauncher.start(board, elf); PtyPort port = qemu.openSerial()) {
      boolean ready = false;
      for (int i = 0; i < PING_TRIES && !ready; i++) {
        port.write("?");
        Optional<String> line = port.readLine(PING_WAIT);
        if (line.isPresent()) {
          lines.add(line.get().strip());
          ready = line.get().startsWith("READY");
        }
      }
      if (!ready) {
        throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the firmware on " + board.name()
            + " never said READY; QEMU: " + qemu.output().strip());
      }
      while (!lines.get(lines.size() - 1).startsWith("DONE")) {
        Optional<String> line = port.readLine(runLimit);
        if (line.isEmpty()) {
          throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "no DONE from the firmware on "
              + board.name() + " within " + runLimit.toSeconds() + " s; got " + lines);
        }
        lines.add(line.get().strip());
      }
      port.write("!");
      OptionalInt status = qemu.waitForExit(Duration.ofSeconds(30));
      if (status.isEmpty() || status.getAsInt() != 0) {
        throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "QEMU on " + board.name()
            + " ended with " + (status.isEmpty() ? "no exit" : "status " + status.getAsInt()) + ": "
            + qemu.output().strip());
      }
    } catch (BoardException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, e.getMessage());
    }
    return parse(lines);
  }

  /** Reads the OUTPUT and COUNT lines of the firmware's console; lines of other kinds are skipped. */
  public static FirmwareRun parse(List<String> lines) {
    List<Integer> outputs = new ArrayList<>();
    long count = -1;
    String unit = "";
    int nextOutput = 0;
    for (String line : lines) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && f[0].equals("OUTPUT")) {
        if (Integer.parseInt(f[1]) != nextOutput) {
          throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "output lines out of order: " + line);
        }
        nextOutput++;
        byte[] bytes = f.length > 2 ? HexFormat.of().parseHex(f[2]) : new byte[0];
        for (byte b : bytes) {
          outputs.add((int) b);
        }
      } else if (f.length >= 2 && f[0].equals("COUNT")) {
        count = Long.parseLong(f[1]);
        unit = f.length > 2 ? f[2] : "";
      }
    }
    if (count < 0 || nextOutput == 0) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the firmware printed no "
          + (count < 0 ? "COUNT" : "OUTPUT") + " line: " + lines);
    }
    return new FirmwareRun(List.copyOf(outputs), count, unit);
  }
}
