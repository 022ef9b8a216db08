package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tinyforge.check.ModelChecker;
import io.tinyforge.cli.GenFirmware;
import io.tinyforge.model.Model;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.TensorType;
import io.tinyforge.sim.gen.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONCATENATION without a copy on small generated graphs: YOLO's two patterns (three MAX_POOL_2D of one map
 * concatenated with it; an upsampled map concatenated with an earlier one), a concatenation left with nothing to
 * copy, and every case where an input must still be copied (read by another op, a graph output, read twice by the
 * concatenation, int16, a producer without a strided kernel, a concatenation over rows). For each the generated C
 * (host build, ASan + UBSan) must call the strided kernels and copies expected, and give the simulator's bytes, the
 * simulator running the model layer by layer as written. The plans are proved by PlanChecker on the way.
 */
class ConcatSliceTest {
  @TempDir
  static Path dir;
  static HostToolchain gcc;

  @BeforeAll
  static void buildKernels() throws Exception {
    assumeTrue(HostToolchain.available(), "gcc not found: skipping the concatenation slice test");
    Path root = Path.of(System.getProperty("tinyforge.root", ".")).toAbsolutePath().normalize();
    gcc = HostToolchain.build(root, dir);
  }

  /**
   * A graph and the calls its generated model.c must make: producers writing into their slice (_strided kernels),
   * slice copies, and whole tfk_concatenation calls.
   */
  record Expect(String name, Model model, int strided, int sliceCopies, int concatenations) {}

  @Test
  void producersWriteStraightIntoTheirSlice() throws Exception {
    Random r = new Random(21);
    List<Expect> cases = new ArrayList<>();
    cases.add(spp(r, "spp: 3 max pools and their input", ""));
    cases.add(neck(r));
    cases.add(allInPlace(r));
    cases.add(spp(r, "spp: the concatenation also a graph output", "concat-output"));
    cases.add(spp(r, "spp: one pool also read by a conv", "read-twice"));
    cases.add(spp(r, "spp: one pool also a graph output", "graph-output"));
    cases.add(spp(r, "spp: one pool named twice by the concatenation", "named-twice"));
    cases.add(spp(r, "spp: average pools", "average"));
    cases.add(spp(r, "spp: concatenated over rows", "rows"));
    cases.add(int16Pools(r));
    check(cases);
  }

  /**
   * TFLM refuses a CONCATENATION whose inputs are quantized unlike its output (its copy would change values), and
   * so does the generator, with a one-line error: such an input never reaches the planner as a view.
   */
  @Test
  void differentlyQuantizedInputsAreRefused() throws Exception {
    FusedScheduleTest.Net n = new FusedScheduleTest.Net(new Random(22));
    int x = n.input(6, 6, 4);
    int p = n.poolSame(n.conv(x, 1, 1, 4, Padding.VALID), 3, true);
    int q = n.g.int8("q", new int[] {1, 6, 6, 4}, n.scale(p) * 2, n.zp(p));
    n.g.op(io.tinyforge.model.BuiltinOp.RELU, new io.tinyforge.model.OpOptions.None(), new int[] {x}, q);
    int cat = n.concat(3, p, q);
    n.g.output(n.conv(cat, 1, 1, 3, Padding.VALID));
    Path f = dir.resolve("concat_quant.tflite");
    Files.write(f, ModelFiles.serialize(n.build("concat_quant")));
    java.io.StringWriter log = new java.io.StringWriter();
    int rc = GenFirmware.run(new String[] {"--board", "host", f.toString(), "-o", dir.resolve("quant").toString()},
        new java.io.PrintWriter(log), new java.io.PrintWriter(log));
    assertTrue(rc != 0, "generated a concatenation of differently quantized inputs: " + log);
    assertTrue(log.toString().contains("quantized") && !log.toString().contains("\tat "), log.toString());
  }

  /**
   * in -> conv 1x1 -> s; max pools 5, 9, 13 (SAME, stride 1) of s; concatenation [p13, p9, p5, s] on channels ->
   * conv 1x1 -> out (YOLO's op 148). Variants: the concatenation also a graph output (still in place), p5 also read
   * by a conv, p5 also a graph output, p5 named twice, average pools, the concatenation over rows.
   */
  private static Expect spp(Random r, String name, String variant) {
    FusedScheduleTest.Net n = new FusedScheduleTest.Net(r);
    int x = n.input(9, 7, 3);
    int s = n.leaky(n.conv(x, 1, 1, 6, Padding.VALID));
    boolean max = !variant.equals("average");
    int p5 = n.poolSame(s, 5, max);
    int p9 = n.poolSame(s, 9, max);
    int p13 = n.poolSame(s, 13, max);
    int axis = variant.equals("rows") ? 1 : 3;
    int cat = variant.equals("named-twice") ? n.concat(axis, p13, p5, p9, p5, s) : n.concat(axis, p13, p9, p5, s);
    int y = n.conv(cat, 1, 1, 5, Padding.VALID);
    if (variant.equals("read-twice")) {
      y = n.add(y, n.conv(p5, 1, 1, 5, Padding.VALID));
    }
    n.g.output(y);
    if (variant.equals("graph-output")) {
      n.g.output(p5);
    }
    if (variant.equals("concat-output")) {
      n.g.output(cat);
    }
    Model m = n.build("spp_" + variant.replace('-', '_'));
    return switch (variant) {
      case "", "concat-output" -> new Expect(name, m, 3, 1, 0);
      case "read-twice", "graph-output" -> new Expect(name, m, 2, 2, 0);
      case "named-twice" -> new Expect(name, m, 2, 3, 0);
      default -> new Expect(name, m, 0, 0, 1); // average pools, rows
    };
  }

  /**
   * in (12x10) -> conv 3x3 -> e (read again by the next conv); conv 3x3 stride 2 -> d (6x5), resized to 12x10 ->
   * u; concatenation [u, e] on channels -> conv 1x1 -> out (YOLO's op 159: u written in place, e copied).
   */
  private static Expect neck(Random r) {
    FusedScheduleTest.Net n = new FusedScheduleTest.Net(r);
    int x = n.input(12, 10, 3);
    int e = n.conv(x, 3, 1, 5, Padding.SAME);
    int d = n.convLike(e, 3, 2, 7, Padding.SAME, e);
    int u = n.resizeNearest(d, 12, 10);
    int cat = n.concat(3, u, e);
    n.g.output(n.conv(cat, 1, 1, 4, Padding.VALID));
    return new Expect("neck: upsampled map and an earlier one", n.build("neck"), 1, 1, 0);
  }

  /** Both inputs written by max pools of the graph input: the concatenation has nothing left to do. */
  private static Expect allInPlace(Random r) {
    FusedScheduleTest.Net n = new FusedScheduleTest.Net(r);
    int x = n.input(7, 8, 5);
    int a = n.poolSame(x, 3, true);
    int b = n.poolSame(x, 5, true);
    int cat = n.concat(3, a, b);
    n.g.output(n.conv(cat, 1, 1, 3, Padding.VALID));
    return new Expect("every input written in place", n.build("all_in_place"), 2, 0, 0);
  }

  /** The same with int16 activations (16x8): no strided int16 kernel, so the concatenation copies. */
  private static Expect int16Pools(Random r) {
    FusedScheduleTest.Net n = new FusedScheduleTest.Net(r);
    int x = n.g.tensor("x", TensorType.INT16, new int[] {1, 7, 8, 5}, Quantization.perTensor(0.001f, 0));
    n.g.input(x);
    int a = n.poolSame(x, 3, true);
    int b = n.poolSame(x, 5, true);
    n.g.output(n.concat(3, a, b));
    return new Expect("int16 max pools", n.build("int16_pools"), 0, 0, 1);
  }

  private static void check(List<Expect> cases) throws Exception {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Expect e = cases.get(i);
      assertEquals(null, ModelChecker.verdict(e.model()), e.name() + ": the checker refuses the generated graph");
      Path f = dir.resolve("concat" + i + ".tflite");
      Files.write(f, ModelFiles.serialize(e.model()));
      Path work = dir.resolve("case" + i);
      try {
        HostEquivalenceTest.checkOne(gcc, new HostEquivalenceTest.Case(e.name(), f, 3), work);
      } catch (AssertionError | Exception ex) {
        problems.add(e.name() + ": " + ex.getMessage());
        continue;
      }
      String c = Files.readString(work.resolve("out").resolve("model.c"));
      int strided = calls(c, "tfk_max_pool2d_s8_strided") + calls(c, "tfk_resize_nearest_strided");
      int copies = calls(c, "tfk_copy_into_slice");
      int concatenations = calls(c, "tfk_concatenation");
      if (strided != e.strided() || copies != e.sliceCopies() || concatenations != e.concatenations()) {
        problems.add(e.name() + ": " + strided + " strided producers, " + copies + " slice copies, "
            + concatenations + " tfk_concatenation calls; expected " + e.strided() + ", " + e.sliceCopies() + ", "
            + e.concatenations());
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static int calls(String source, String fn) {
    Matcher m = Pattern.compile("\\b" + fn + "\\(").matcher(source);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
