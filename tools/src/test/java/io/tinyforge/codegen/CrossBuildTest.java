package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.ElfFile;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.MemoryUsage;
import io.tinyforge.board.PtyPort;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.board.QemuSession;
import io.tinyforge.check.ModelChecker;
import io.tinyforge.cli.GenFirmware;
import io.tinyforge.sim.Simulator;
import io.tinyforge.tflite.TfliteReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared model the checker accepts is generated for qemu-mps2-an500 and built by gen-firmware itself
 * (arm-none-eabi-gcc, -Wall -Wextra -Werror); the flash/RAM table comes from the ELFs. One model then runs under
 * QEMU, on the Cortex-M7 and also on the Cortex-M4 and Cortex-M55 machines: its printed outputs for the all-zero
 * input must equal mcu-sim's.
 */
class CrossBuildTest {
  static final String BOARD = "qemu-mps2-an500";
  static final String RUN_MODEL = "tflm_person_detect_int8.tflite";

  @TempDir
  Path dir;

  @Test
  void sharedModelsBuildForTheM7AndOneRunsUnderQemu() throws Exception {
    Path root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    Board board = BoardRegistry.load(root).get(BOARD);
    assumeTrue(FirmwareBuild.toolchainAvailable(board), "arm-none-eabi-gcc not found: cross build skipped");
    Path shared = root.resolve("../shared/models").normalize();
    assumeTrue(Files.isDirectory(shared), shared + " is absent: cross build skipped");
    List<Path> models;
    try (Stream<Path> s = Files.list(shared)) {
      models = s.filter(p -> p.toString().endsWith(".tflite")).sorted().toList();
    }
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-40s %10s %10s %10s %10s %10s%n",
        "model (" + BOARD + ")", "flash", "weights", "RAM", "arena", "text"));
    Path runElf = null;
    int built = 0;
    for (Path model : models) {
      if (ModelChecker.verdict(TfliteReader.read(model)) != null) {
        continue;
      }
      Path out = dir.resolve(model.getFileName().toString().replace(".tflite", ""));
      StringWriter log = new StringWriter();
      int rc = GenFirmware.run(new String[] {"--board", BOARD, model.toString(), "-o", out.toString()},
          new PrintWriter(log), new PrintWriter(log));
      assertEquals(0, rc, model.getFileName() + ": " + log);
      assertTrue(log.toString().contains("built "), "gen-firmware did not build: " + log);
      Path elf = out.resolve("firmware.elf");
      MemoryUsage u = MemoryUsage.of(ElfFile.read(elf), board);
      table.append(String.format(Locale.ROOT, "%-40s %10d %10d %10d %10d %10d%n", model.getFileName(),
          u.flashBytes(), u.weightsBytes(), u.ramBytes(), u.arenaBytes(), u.textBytes()));
      built++;
      if (model.getFileName().toString().equals(RUN_MODEL)) {
        runElf = elf;
      }
    }
    System.out.print("[cross-build]\n" + table);
    assertTrue(built >= 1, "no shared model was built");
    if (runElf == null || !QemuLauncher.available()) {
      System.out.println("[cross-build] QEMU run skipped (no " + RUN_MODEL + " or no qemu-system-arm)");
      return;
    }
    Simulator sim = Simulator.load(shared.resolve(RUN_MODEL));
    byte[][] zeros = new byte[sim.inputCount()][];
    for (int i = 0; i < zeros.length; i++) {
      zeros[i] = new byte[sim.model().input(i).byteSize()];
    }
    byte[][] expected = sim.run(zeros);
    expectOutputs(BOARD, runUnderQemu(board, runElf), expected);
    // The same model on the other QEMU cores (Cortex-M4, Cortex-M55) must print the same bytes.
    for (String other : OTHER_QEMU_BOARDS) {
      Board b = BoardRegistry.load(root).get(other);
      if (!FirmwareBuild.toolchainAvailable(b)) {
        continue;
      }
      Path out = dir.resolve(other);
      StringWriter log = new StringWriter();
      int rc = GenFirmware.run(new String[] {"--board", other, shared.resolve(RUN_MODEL).toString(), "-o",
          out.toString()}, new PrintWriter(log), new PrintWriter(log));
      assertEquals(0, rc, other + ": " + log);
      expectOutputs(other, runUnderQemu(b, out.resolve("firmware.elf")), expected);
    }
  }

  static final List<String> OTHER_QEMU_BOARDS = List.of("qemu-mps2-an386", "qemu-mps3-an547");

  private static void expectOutputs(String board, List<String> lines, byte[][] expected) {
    for (int i = 0; i < expected.length; i++) {
      String want = "OUTPUT " + i + " " + HexFormat.of().formatHex(expected[i]);
      assertTrue(lines.contains(want), board + ": QEMU printed " + lines + ", expected the line '" + want + "'");
    }
    // The painted stack's high-water mark: a real measurement is more than the frames of main and below the reserve
    long stack = lines.stream().filter(l -> l.startsWith("STACK ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
        .findFirst().orElse(-1);
    assertTrue(stack > 64 && stack < 8192, board + ": stack high-water " + stack + " bytes in " + lines);
    System.out.println("[cross-build] " + RUN_MODEL + " on " + board + " under QEMU: " + lines);
  }

  /** Pings the firmware until it answers, collects its lines up to DONE, acknowledges and waits for the exit. */
  static List<String> runUnderQemu(Board board, Path elf) {
    List<String> lines = new ArrayList<>();
    try (QemuSession qemu = QemuLauncher.start(board, elf); PtyPort port = qemu.openSerial()) {
      boolean ready = false;
      for (int i = 0; i < 100 && !ready; i++) {
        port.write("?");
        Optional<String> line = port.readLine(Duration.ofMillis(300));
        if (line.isPresent()) {
          lines.add(line.get().strip());
          ready = line.get().startsWith("READY");
        }
      }
      assertTrue(ready, "the firmware never said READY; QEMU: " + qemu.output());
      while (true) {
        Optional<String> line = port.readLine(Duration.ofSeconds(120));
        assertTrue(line.isPresent(), "no DONE from the firmware; got " + lines);
        lines.add(line.get().strip());
        if (line.get().startsWith("DONE")) {
          break;
        }
      }
      port.write("!");
      OptionalInt status = qemu.waitForExit(Duration.ofSeconds(30));
      assertEquals(OptionalInt.of(0), status, "QEMU exit status; output " + qemu.output());
    }
    return lines;
  }
}
