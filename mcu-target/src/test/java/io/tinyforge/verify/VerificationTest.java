package io.tinyforge.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.TinyforgeException;
import io.tinyforge.board.Board;
import io.tinyforge.board.BoardRegistry;
import io.tinyforge.board.FirmwareBuild;
import io.tinyforge.board.QemuLauncher;
import io.tinyforge.serial.FaultInjectingTransport;
import io.tinyforge.serial.FaultInjectingTransport.Faults;
import io.tinyforge.serial.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * verify end to end with the stand-in model (no code generator needed): the host board, and QEMU when present.
 * Each check can fail: a perturbed kernel, a wrong model, a damaged link.
 */
class VerificationTest {
  static final Path CACHE = FakeModel.root().resolve("mcu-target/target/verify-test-cache");
  static final SessionOptions OPTIONS = SessionOptions.DEFAULT.withReplyTimeout(Duration.ofMillis(300))
      .withInvokeTimeout(Duration.ofSeconds(10)).withAttempts(10);

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  static Board board(String name) {
    Board b = BoardRegistry.load(FakeModel.root()).get(name);
    assumeTrue(FirmwareBuild.toolchainAvailable(b), "no compiler for " + name);
    return b;
  }

  Verification verification(Board b, String claimedHash, Map<String, String> defines, boolean perLayer) {
    return new Verification(FakeModel.root(), b, FakeModel.graph(), "fake", FakeModel.generator(claimedHash),
        new FakeModel(), CACHE, defines, OPTIONS, perLayer);
  }

  int run(Verification v, InputSets sets) {
    return v.runBuilt(sets, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void healthyFirmwareIsBitExactAndTheBuildIsReused() {
    Board host = board("host");
    assertEquals(0, run(verification(host, FakeModel.HASH, Map.of(), false), new InputSets.Random(12, 5)),
        out + "\n" + err);
    assertTrue(out.toString().contains("12/12 bit-exact"), out.toString());
    assertTrue(out.toString().contains("ns per inference: min"), out.toString());
    assertEquals(0, run(verification(host, FakeModel.HASH, Map.of(), true), new InputSets.Random(3, 1)));
    assertTrue(err.toString().contains("firmware reused"), err.toString());
  }

  @Test
  void aPerturbedOperatorFailsAndIsNamed() {
    Board host = board("host");
    int rc = run(verification(host, FakeModel.HASH, Map.of("TFK_TEST_PERTURB_OP", "1"), false),
        new InputSets.Random(2, 1));
    assertEquals(1, rc, out.toString());
    String o = out.toString();
    assertTrue(o.contains("0/2 bit-exact"), o);
    assertTrue(o.contains("first differing operator: #1 MUL (output tensor 3 'out0') element 0 [0,0]"), o);
    assertTrue(err.toString().contains("TEST perturbation"), err.toString());
  }

  @Test
  void perturbingTheLastOperatorNamesItNotAnEarlierOne() {
    Board host = board("host");
    assertEquals(1, run(verification(host, FakeModel.HASH, Map.of("TFK_TEST_PERTURB_OP", "2"), false),
        new InputSets.Random(1, 9)));
    assertTrue(out.toString().contains("first differing operator: #2 ADD (output tensor 4 'out1') element 0 [0,0]"),
        out.toString());
  }

  @Test
  void theWrongModelOnTheTargetIsRefused() {
    Board host = board("host");
    TinyforgeException e = assertThrows(TinyforgeException.class,
        () -> run(verification(host, "some-other-model", Map.of(), false), new InputSets.Random(1, 1)));
    assertEquals(1, e.exitCode());
    assertTrue(e.getMessage().startsWith("the target runs another model (hash some-other-model, expected "
        + FakeModel.HASH), e.getMessage());
  }

  @Test
  void inputFilesAreSentAndCheckedForSize(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Board host = board("host");
    assertEquals(0, run(verification(host, FakeModel.HASH, Map.of(), false), inputFiles(dir, new Random(4), "a", "b",
        "c")));
    assertTrue(out.toString().contains("3/3 bit-exact (input files)"), out.toString());
    Files.write(dir.resolve("b").resolve("input_1.bin"), new byte[8]);
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> InputSets.read(dir, FakeModel.graph()));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("has 8 bytes but input 'in1' needs 7"), e.getMessage());
  }

  @Test
  void aNoisyLinkStillVerifies() {
    Board host = board("host");
    Faults f = new Faults(0.003, 0.003, 0.003);
    FaultInjectingTransport[] proxy = new FaultInjectingTransport[1];
    Verification v = verification(host, FakeModel.HASH, Map.of(), false)
        .wrapLink(t -> proxy[0] = new FaultInjectingTransport(t, f, f, 21));
    assertEquals(0, run(v, new InputSets.Random(20, 100)), out + "\n" + err);
    assertTrue(proxy[0].total() > 0, "faults were injected");
  }

  /** Input-file sets of random bytes for the stand-in model (inputs of 20 and 7 bytes), one folder per set. */
  static InputSets inputFiles(Path dir, Random rnd, String... sets) throws IOException {
    for (String set : sets) {
      Files.createDirectories(dir.resolve(set));
      byte[] in0 = new byte[20];
      byte[] in1 = new byte[7];
      rnd.nextBytes(in0);
      rnd.nextBytes(in1);
      Files.write(dir.resolve(set).resolve("input_0.bin"), in0);
      Files.write(dir.resolve(set).resolve("input_1.bin"), in1);
    }
    return InputSets.read(dir, FakeModel.graph());
  }

  @Test
  void aDamagedInputIsSentAgainNeverRunAndBlamedOnTheFirmware(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    FrameDamagingTransport.Damage setInput = new FrameDamagingTransport.Damage(
        io.tinyforge.serial.protocol.SetInput.TYPE, 2);
    Verification v = verification(board("host"), FakeModel.HASH, Map.of(), false)
        .wrapLink(t -> new FrameDamagingTransport(t, setInput, FrameDamagingTransport.Damage.none()));
    assertEquals(0, run(v, inputFiles(dir, new Random(9), "a", "b", "c")), out + "\n" + err);
    assertEquals(2, setInput.done(), "inputs were damaged");
    assertTrue(err.toString().contains("arrived damaged (attempt 1 of 3); sending it again"), err.toString());
    assertTrue(out.toString().contains("3/3 bit-exact"), out.toString());
  }

  @Test
  void aLinkThatKeepsDamagingInputsIsAnEnvironmentErrorNotAVerdict(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    FrameDamagingTransport.Damage every = new FrameDamagingTransport.Damage(
        io.tinyforge.serial.protocol.SetInput.TYPE, -1);
    Verification v = verification(board("host"), FakeModel.HASH, Map.of(), false)
        .wrapLink(t -> new FrameDamagingTransport(t, every, FrameDamagingTransport.Damage.none()));
    InputSets sets = inputFiles(dir, new Random(9), "a", "b", "c");
    TinyforgeException e = assertThrows(TinyforgeException.class, () -> run(v, sets));
    assertEquals(TinyforgeException.EXIT_ENVIRONMENT, e.exitCode());
    assertTrue(e.getMessage().contains("did not arrive intact in 3 attempts"), e.getMessage());
    assertTrue(!out.toString().contains("MISMATCH") && !err.toString().contains("MISMATCH"), out + "\n" + err);
  }

  @Test
  void aDamagedReplyIsRunAgainBeforeAnyMismatchIsReported() {
    FrameDamagingTransport.Damage outputHash = new FrameDamagingTransport.Damage(
        io.tinyforge.serial.protocol.GetOutputHashReply.TYPE, 1);
    Verification v = verification(board("host"), FakeModel.HASH, Map.of(), false)
        .wrapLink(t -> new FrameDamagingTransport(t, FrameDamagingTransport.Damage.none(), outputHash));
    assertEquals(0, run(v, new InputSets.Random(3, 5)), out + "\n" + err);
    assertEquals(1, outputHash.done());
    assertTrue(err.toString().contains("differed once and matched when run again"), err.toString());
    assertTrue(out.toString().contains("3/3 bit-exact"), out.toString());
  }

  @Test
  void onQemuPerturbationIsNamedAndCountsRepeat() {
    Board b = board("qemu-mps2-an386");
    assumeTrue(QemuLauncher.available(), "QEMU missing");
    assertEquals(0, run(verification(b, FakeModel.HASH, Map.of(), false), new InputSets.Random(10, 1)), out.toString());
    String first = out.toString();
    assertTrue(first.contains("10/10 bit-exact"), first);
    assertTrue(first.contains("instructions per inference: min"), first);
    assertTrue(first.contains("(QEMU counts instructions, not cycles)"), first);
    assertTrue(first.contains("flash "), first);
    out.getBuffer().setLength(0);
    assertEquals(0, run(verification(b, FakeModel.HASH, Map.of(), false), new InputSets.Random(10, 1)));
    assertEquals(countLine(first), countLine(out.toString()), "same inputs, same instruction counts");
    out.getBuffer().setLength(0);
    assertEquals(1, run(verification(b, FakeModel.HASH, Map.of("TFK_TEST_PERTURB_OP", "0"), false),
        new InputSets.Random(1, 1)));
    assertTrue(out.toString().contains("first differing operator: #0 ADD"), out.toString());
  }

  private static String countLine(String text) {
    return text.lines().filter(l -> l.contains("per inference")).findFirst().orElse("");
  }
}
