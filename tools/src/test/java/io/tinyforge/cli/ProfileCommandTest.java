package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.model.Model;
import io.tinyforge.profile.ProfileRun;
import io.tinyforge.profile.Profiler;
import io.tinyforge.serial.SessionOptions;
import io.tinyforge.serial.TargetSession;
import io.tinyforge.sim.Simulator;
import io.tinyforge.tflite.TfliteReader;
import io.tinyforge.verify.InputSets;
import io.tinyforge.verify.SimulatorReference;
import io.tinyforge.verify.Verification;
import io.tinyforge.verify.VerifyCache;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen-firmware profile} on the bundled digits model under QEMU (Cortex-M7), in-process and as a process, and
 * its usage errors. The per-op counts are checked against what they claim: they add up to the whole inference but
 * for the return after the last op (at most two 40-instruction ticks), and each prefix sum matches an independent
 * measurement, INVOKE stopped after that op, within one tick of a constant.
 */
class ProfileCommandTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  static final Path DIGITS = ROOT.resolve("examples/digits_int8.tflite");
  static final Path CACHE = ROOT.resolve("tools/target/profile-test-cache");
  static final String M7 = "qemu-mps2-an500";
  static final long TICK = 40;

  static Board qemuBoard() {
    Board b = BoardRegistry.load(ROOT).get(M7);
    assumeTrue(QemuLauncher.available(), "QEMU missing: skipping");
    assumeTrue(FirmwareBuild.toolchainAvailable(b), "arm-none-eabi-gcc missing: skipping");
    return b;
  }

  static void oneLine(String err) {
    String e = err.strip();
    assertFalse(e.isEmpty(), "an error message");
    assertFalse(e.contains("\n"), "one line: " + e);
    assertFalse(e.contains("Exception"), "no stack trace: " + e);
  }

  @Test
  void usageErrorsAreOneLineWithExitTwo() {
    CliRun r = CliRun.of("profile", "--board", M7, DIGITS.toString(), "--runs", "0");
    assertEquals(2, r.code(), r.err());
    oneLine(r.err());
    assertTrue(r.err().contains("--runs needs a count of 1 or more"), r.err());
    r = CliRun.of("profile", "--board", "no-such-board", DIGITS.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("unknown board 'no-such-board'"), r.err());
    r = CliRun.of("profile", "--board", "teensy41", DIGITS.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("pass --port"), r.err());
    r = CliRun.of("profile", "--board", M7, DIGITS.toString(), "--flash");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--flash needs --port"), r.err());
    r = CliRun.of("profile", "--board", M7, DIGITS.toString(), "--timeout", "0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--timeout needs a positive number of seconds"), r.err());
    r = CliRun.of("profile", "--board", "imxrt1060-evk", DIGITS.toString(), "--port", "/dev/tinyforge-missing");
    assertEquals(3, r.code(), r.err());
    oneLine(r.err());
    assertTrue(r.err().contains("serial port /dev/tinyforge-missing does not exist"), r.err());
    r = CliRun.of("profile", "--board", M7, "/nonexistent/model.tflite");
    assertEquals(2, r.code(), r.err());
    oneLine(r.err());
  }

  @Test
  void inProcessTheCountsAddUpAndTheFilesAreWritten(@TempDir Path tmp) throws IOException {
    qemuBoard();
    Path json = tmp.resolve("p.json");
    Path svg = tmp.resolve("p.svg");
    Path png = tmp.resolve("p.png");
    CliRun r = CliRun.of("profile", "--board", M7, DIGITS.toString(), "--qemu", "--runs", "2", "--json",
        json.toString(), "--svg", svg.toString(), "--png", png.toString(), "--cache-dir", CACHE.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    String out = r.out();
    assertTrue(out.contains("outputs: bit-exact with the simulator on every run (2 of 2)"), out);
    assertTrue(out.contains("counter: 1 tick = 40 instructions"), out);

    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonArray ops = j.getAsJsonArray("ops");
    Model m = TfliteReader.read(DIGITS);
    assertEquals(m.operators().size(), ops.size());
    long sum = 0;
    for (JsonElement e : ops) {
      JsonElement c = e.getAsJsonObject().get("count");
      assertFalse(c.isJsonNull(), "every digits op has a hook: " + e);
      assertEquals(0, c.getAsLong() % TICK, "MPS2 readings are whole ticks: " + e);
      sum += c.getAsLong();
    }
    long whole = j.get("whole").getAsLong();
    assertEquals(sum, j.get("sum_of_ops").getAsLong());
    assertTrue(whole - sum >= 0 && whole - sum <= 2 * TICK, "whole " + whole + " vs per-op sum " + sum);
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "sum of the %d per-op counts: %,d = whole inference "
        + "%,d - %,d after the last op", ops.size(), sum, whole, whole - sum)), out);
    // the two CONV_2D dominate a 25,600-MAC model; a RESHAPE is only its hook
    assertTrue(ops.get(0).getAsJsonObject().get("count").getAsLong() > 20 * ops.get(3).getAsJsonObject().get("count")
        .getAsLong(), ops.toString());

    JsonObject overhead = j.getAsJsonObject("overhead");
    long base = overhead.get("whole_without_hooks").getAsLong();
    long added = overhead.get("added").getAsLong();
    assertEquals(whole - base, added);
    assertTrue(added > 0 && added < 200L * ops.size(), "a hook costs tens of instructions: " + added);
    assertTrue(out.contains("profiling overhead: whole inference"), out);

    assertTrue(Files.readString(svg).startsWith("<svg"));
    assertEquals(ops.size(), Files.readString(svg).split("<title>", -1).length - 1, "one bar per op");
    assertTrue(ImageIO.read(png.toFile()).getWidth() >= 600);
  }

  @Test
  void inputFilesAreProfiledAndTheMedianRunShown() {
    qemuBoard();
    CliRun r = CliRun.of("profile", "--board", M7, DIGITS.toString(), "--inputs",
        ROOT.resolve("examples/digits_samples").toString(), "--no-overhead", "--cache-dir", CACHE.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().matches("(?s)profile: digits_int8.tflite on qemu-mps2-an500 .*, input: file sample_\\d\\.bin "
        + "\\(the median of 8 runs\\).*"), r.out());
    assertTrue(r.out().contains("outputs: bit-exact with the simulator on every run (8 of 8)"), r.out());
    CliRun both = CliRun.of("profile", "--board", M7, DIGITS.toString(), "--inputs", "/tmp", "--runs", "2");
    assertEquals(2, both.code(), both.err());
  }

  /** The M55 board ticks every 31.25 instructions: readings are rounded down to whole instructions. */
  @Test
  void onTheM55TheSumIsWithinTwoTicksOfTheWhole(@TempDir Path tmp) throws IOException {
    qemuBoard();
    assumeTrue(FirmwareBuild.toolchainAvailable(BoardRegistry.load(ROOT).get("qemu-mps3-an547")), "no compiler");
    Path json = tmp.resolve("p.json");
    CliRun r = CliRun.of("profile", "--board", "qemu-mps3-an547", DIGITS.toString(), "--no-overhead", "--json",
        json.toString(), "--cache-dir", CACHE.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("counter: 1 tick = 31.25 instructions"), r.out());
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(31.25, j.getAsJsonObject("counter").get("resolution").getAsDouble());
    long after = j.get("whole").getAsLong() - j.get("sum_of_ops").getAsLong();
    assertTrue(after >= 0 && after <= 63, "two ticks of 31.25 instructions at most: " + after);
  }

  /**
   * INVOKE with untilOp = k on the profiling firmware stops right after op k's hook, so its whole count is the
   * prefix sum of the per-op counts plus a fixed path (longjmp and the final reading): every per-op count is thereby
   * measured a second way, to within one tick.
   */
  @Test
  void prefixSumsMatchRunsStoppedAfterEachOp() {
    Board b = qemuBoard();
    Model m = TfliteReader.read(DIGITS);
    SimulatorReference ref = new SimulatorReference(Simulator.of(m));
    StringWriter log = new StringWriter();
    PrintWriter err = new PrintWriter(log, true);
    Path cache = VerifyCache.claim(CACHE, "the test cache"); // the CLI tests share it: it must carry the mark
    Verification v = new Verification(ROOT, b, m, "digits-profile-test", VerifyCommand.generator(DIGITS), ref, cache,
        Map.of(Profiler.PROFILE_DEFINE, "1"), SessionOptions.DEFAULT.withInvokeTimeout(Duration.ofSeconds(60)), false);
    int seed = 5;
    List<Long> gaps = v.onBuiltTarget(err, t -> {
      ProfileRun run = new Profiler(m, ref, err).profile(t, new InputSets.Random(1, seed)).get(0);
      TargetSession s = t.session();
      List<Long> out = new ArrayList<>();
      long prefix = 0;
      for (int k = 0; k < m.operators().size(); k++) {
        prefix += run.opCounts().get(k);
        s.genInput(0, seed);
        out.add(s.invoke(k, false).count - prefix);
      }
      return out;
    });
    System.out.println("digits on " + M7 + ": whole count of a run stopped after op k minus the per-op prefix sum: " + gaps);
    long min = gaps.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = gaps.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(min >= 0, "a run stopped after op k cannot count less than ops 0..k: " + gaps);
    assertTrue(max - min <= TICK, "the stop path is fixed, so the gaps agree within one tick: " + gaps);
    assertTrue(max <= 5 * TICK, "the stop path is short: " + gaps);
  }

  @Test
  void asAProcess(@TempDir Path tmp) throws Exception {
    qemuBoard();
    Path json = tmp.resolve("p.json");
    Process p = java("profile", "--board", M7, DIGITS.toString(), "--no-overhead", "--json", json.toString(),
        "--cache-dir", CACHE.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("profiling overhead: not measured (--no-overhead)"), out);
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals(j.get("whole").getAsLong(), j.get("sum_of_ops").getAsLong() + j.get("after_last_op").getAsLong());
    assertTrue(out.contains(String.format(java.util.Locale.ROOT, "%,d", j.get("whole").getAsLong())), out);

    Process bad = java("profile", "--board", M7, DIGITS.toString(), "--runs", "-3").start();
    String err = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, bad.exitValue(), err);
    oneLine(err);
  }

  private static ProcessBuilder java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dtinyforge.root=" + ROOT, "io.tinyforge.cli.GenFirmware"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).directory(new File(ROOT.toString()));
  }
}
