package io.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user types: the headline command with a board alias and no -o, mistyped verbs and options, and output
 * folders that already hold the user's files (which tinyforge must never delete or overwrite).
 */
class UserPathTest {
  static final Path ROOT = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
  static final Path DIGITS = ROOT.resolve("examples/digits_int8.tflite");

  @TempDir
  Path dir;

  /** gen-firmware as a separate process in {@code cwd}, as the launcher runs it. */
  record Proc(int code, String out, String err) {}

  static Proc process(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dtinyforge.root=" + ROOT, "-cp", System.getProperty("java.class.path"), GenFirmware.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(cwd.getParent(), "out", ".txt");
    Path err = Files.createTempFile(cwd.getParent(), "err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gen-firmware did not end");
    return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static List<String> tree(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      return s.map(p -> d.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void theHeadlineCommandWorksAsTypedWithAnAliasAndNoOutputFolder() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.copy(DIGITS, work.resolve("digits_int8.tflite"));
    Proc r = process(work, "--board", "imxrt1060", "digits_int8.tflite");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("output: build/digits_int8-imxrt1060-evk"), "the path comes first: " + r.out());
    Path out = work.resolve("build/digits_int8-imxrt1060-evk");
    for (String f : List.of("model.c", "model.h", "main.c", "Makefile", "board/linker.ld", ".tinyforge-manifest")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertTrue(r.out().contains("for imxrt1060-evk"), r.out());
  }

  @Test
  void minusOOfTheCurrentFolderNeverDeletesTheUsersFiles() throws Exception {
    Path work = Files.createDirectories(dir.resolve("project"));
    Files.copy(DIGITS, work.resolve("digits_int8.tflite"));
    Files.writeString(work.resolve("main.c"), "int main(void) { return 42; }\n");
    Files.createDirectories(work.resolve("src"));
    Files.writeString(work.resolve("src/app.c"), "// mine\n");
    List<String> before = tree(work);
    Proc r = process(work, "--board", "host", "digits_int8.tflite", "-o", ".");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("has files tinyforge did not write") && r.err().contains("--force"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(before, tree(work), "nothing added or removed");

    Proc forced = process(work, "--board", "host", "digits_int8.tflite", "-o", ".", "--force");
    assertEquals(0, forced.code(), forced.err());
    assertEquals("int main(void) { return 42; }\n", Files.readString(work.resolve("main.c")));
    assertEquals("// mine\n", Files.readString(work.resolve("src/app.c")));
    assertTrue(Files.isRegularFile(work.resolve("digits_int8.tflite")));
    assertTrue(Files.isRegularFile(work.resolve("model.c")), "generated files written beside the user's");
    assertTrue(forced.out().contains("kept ./main.c") || forced.out().contains("kept main.c"), forced.out());
  }

  @Test
  void minusOOfTheHomeFolderIsRefused() throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve(".profile"), "export X=1\n");
    CliRun r = CliRun.of("--board", "host", DIGITS.toString(), "-o", home.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(List.of("", ".profile"), tree(home));
  }

  @Test
  void anEditedGeneratedFileIsKeptAndReportedUnlessForced() throws IOException {
    Path out = dir.resolve("gen");
    assertEquals(0, CliRun.of("--board", "host", DIGITS.toString(), "-o", out.toString()).code());
    String edited = Files.readString(out.resolve("main.c")) + "/* my change */\n";
    Files.writeString(out.resolve("main.c"), edited);
    CliRun again = CliRun.of("--board", "host", DIGITS.toString(), "-o", out.toString());
    assertEquals(0, again.code(), again.err());
    assertEquals(edited, Files.readString(out.resolve("main.c")));
    assertTrue(again.out().contains("main.c: you edited it"), again.out());
    CliRun forced = CliRun.of("--board", "host", DIGITS.toString(), "-o", out.toString(), "--force");
    assertEquals(0, forced.code(), forced.err());
    assertFalse(Files.readString(out.resolve("main.c")).contains("my change"));
  }

  @Test
  void boardAliasesResolveAndAreListed() {
    CliRun boards = CliRun.of("boards");
    assertEquals(0, boards.code(), boards.err());
    assertTrue(boards.out().contains("imxrt1060, mimxrt1060, rt1060") && boards.out().contains("teensy4.1"),
        boards.out());
    assertTrue(boards.out().contains("console: the console is Serial1 (LPUART6) on pins 0/1, not the USB port"),
        "Teensy users must learn that they need an adapter: " + boards.out());
    for (String alias : List.of("imxrt1060", "MIMXRT1060", "rt1060", "teensy4.1")) {
      CliRun r = CliRun.of("--board", alias, DIGITS.toString(), "-o", dir.resolve(alias).toString());
      assertEquals(0, r.code(), alias + ": " + r.err());
    }
  }

  @Test
  void anUnknownBoardNamesTheNearestOne() {
    CliRun r = CliRun.of("--board", "imxrt1062-evk", DIGITS.toString(), "-o", dir.resolve("x").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("did you mean imxrt1060-evk?"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(dir.resolve("x")));
    CliRun far = CliRun.of("--board", "esp32", DIGITS.toString(), "-o", dir.resolve("x").toString());
    assertFalse(far.err().contains("did you mean"), "no wrong suggestion: " + far.err());
  }

  @Test
  void mistypedVerbsAndOptionsGetTheNearestOneInOneLine() {
    record Case(List<String> args, String expected) {}
    for (Case c : List.of(
        new Case(List.of("inpsect", DIGITS.toString()), "unknown verb 'inpsect'; did you mean inspect?"),
        new Case(List.of("inpsect"), "unknown verb 'inpsect'; did you mean inspect?"),
        new Case(List.of("simluate", DIGITS.toString()), "did you mean simulate?"),
        new Case(List.of("--baord", "host", DIGITS.toString()), "unknown option '--baord'; did you mean --board?"),
        new Case(List.of("inspect", "--jsno", DIGITS.toString()), "did you mean --json?"),
        new Case(List.of("plan", DIGITS.toString(), "--svgg", "x.svg"), "did you mean --svg?"))) {
      CliRun r = CliRun.of(c.args());
      assertEquals(2, r.code(), c.args() + ": " + r.err());
      assertTrue(r.err().contains(c.expected()), c.args() + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line, no usage dump: " + r.err());
      assertTrue(r.out().isEmpty(), r.out());
    }
    CliRun unrelated = CliRun.of("--zzzzzz", DIGITS.toString());
    assertEquals(2, unrelated.code());
    assertFalse(unrelated.err().contains("did you mean"), unrelated.err());
  }

  @Test
  void completionPrintsABashScriptOfEveryVerb() {
    CliRun r = CliRun.of("completion");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 40));
    for (String w : List.of("inspect", "simulate", "verify", "detect", "plan", "boards", "--board", "--force")) {
      assertTrue(r.out().contains(w), w);
    }
  }

  @Test
  void aCacheFolderWithTheUsersFilesIsRefused() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(cache.resolve("thesis.tex"), "\\documentclass{article}");
    CliRun r = CliRun.of("verify", "--board", "host", DIGITS.toString(), "--random", "1", "--cache-dir",
        cache.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("has files tinyforge did not write") && r.err().contains("--cache-dir"), r.err());
    assertEquals(List.of("", "thesis.tex"), tree(cache));
  }

  @Test
  void theLauncherSaysWhenItBuilds() throws IOException {
    String launcher = Files.readString(ROOT.resolve("tools/gen-firmware"), StandardCharsets.UTF_8);
    int say = launcher.indexOf("building tinyforge (first run, about 20 s)");
    assertTrue(say > 0 && say < launcher.indexOf("mvn -q"), "announced before the build");
  }

  @Test
  void wrongArgumentsGetOneLineNamingTheThing() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("models"));
    for (List<String> args : List.of(List.of("inspect", folder.toString()), List.of("simulate", folder.toString(), "--input",
        folder.resolve("x.bin").toString(), "--output-dir", dir.resolve("o").toString()),
        List.of("--board", "host", folder.toString(), "-o", dir.resolve("o").toString()))) {
      CliRun r = CliRun.of(args);
      assertEquals(2, r.code(), args + ": " + r.err());
      assertTrue(r.err().contains("is a folder, not a model file"), args + ": " + r.err());
    }
    Path file = Files.writeString(dir.resolve("taken.txt"), "mine");
    CliRun sim = CliRun.of("simulate", DIGITS.toString(), "--input", ROOT.resolve("examples/digits_samples")
        .resolve("sample_0.bin").toString(), "--output-dir", file.toString());
    assertEquals(2, sim.code(), sim.err());
    assertTrue(sim.err().contains("--output-dir " + file + " is a file"), sim.err());
    assertEquals("mine", Files.readString(file));
    for (String timeout : List.of("-5", "0")) {
      CliRun v = CliRun.of("verify", "--board", "host", DIGITS.toString(), "--timeout", timeout, "--random", "1");
      assertEquals(2, v.code(), v.err());
      assertTrue(v.err().contains("--timeout needs a positive number of seconds"), v.err());
    }
  }
}
