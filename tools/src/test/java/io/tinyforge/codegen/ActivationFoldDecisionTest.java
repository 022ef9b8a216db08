package io.tinyforge.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tinyforge.cli.GenFirmware;
import io.tinyforge.model.Model;
import io.tinyforge.model.Padding;
import io.tinyforge.sim.gen.ModelFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a LEAKY_RELU folds into the 1x1 DSP conv before it (ProjectModel.ActivationFolds) and where it must not: the
 * generated C for the M7 board calls the conv's _lut entry point, or the conv and a table pass. Bit-exactness of the
 * folded call is checked on the target by the QEMU runs of yolo_fastest (SharedModelsVerifyTest) and per kernel by
 * the oracle driver; this test pins the decision.
 */
class ActivationFoldDecisionTest {
  @TempDir
  Path dir;

  /** model.c of the graph for qemu-mps2-an500. */
  private String modelC(Model m, String name) throws Exception {
    Path f = dir.resolve(name + ".tflite");
    Files.write(f, ModelFiles.serialize(m));
    Path out = dir.resolve(name);
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = GenFirmware.run(new String[] {"--board", "qemu-mps2-an500", f.toString(), "-o", out.toString()},
        new PrintWriter(o, true), new PrintWriter(e, true));
    assertEquals(0, rc, o + "\n" + e);
    return Files.readString(out.resolve("model.c"));
  }

  private static int count(String c, String what) {
    return c.split(java.util.regex.Pattern.quote(what), -1).length - 1;
  }

  @Test
  void foldsOnlyAnActivationInPlaceOnAConvOutputNothingElseReads() throws Exception {
    // conv 1x1 > leaky > conv 1x1: the leaky (8x8x8 = 512 values, a table) folds
    FusedScheduleTest.Net n = new FusedScheduleTest.Net(new Random(7));
    int x = n.input(8, 8, 8);
    int a = n.conv(x, 1, 1, 8, Padding.VALID);
    int b = n.leaky(a);
    n.g.output(n.conv(b, 1, 1, 8, Padding.VALID));
    String c = modelC(n.build("fold"), "fold");
    assertEquals(1, count(c, "tfk_conv_1x1_s8_dsp_lut("), c);
    assertEquals(0, count(c, "tfk_lut_s8("), c);
    if (io.tinyforge.board.QemuLauncher.available()) {
      // and on the M7 it gives the simulator's bytes
      StringWriter o = new StringWriter();
      StringWriter e = new StringWriter();
      int rc = GenFirmware.run(new String[] {"verify", "--board", "qemu-mps2-an500", "--random", "2",
          dir.resolve("fold.tflite").toString()}, new PrintWriter(o, true), new PrintWriter(e, true));
      assertEquals(0, rc, o + "\n" + e);
      org.junit.jupiter.api.Assertions.assertTrue(o.toString().contains("2/2 bit-exact"), o.toString());
    }

    // the conv's output read again by another op: the leaky stays a pass
    n = new FusedScheduleTest.Net(new Random(7));
    x = n.input(8, 8, 8);
    a = n.conv(x, 1, 1, 8, Padding.VALID);
    b = n.leaky(a);
    n.g.output(n.add(b, n.conv(a, 1, 1, 8, Padding.VALID)));
    c = modelC(n.build("read_twice"), "read_twice");
    assertEquals(0, count(c, "_lut("), c);
    assertEquals(1, count(c, "tfk_lut_s8("), c);

    // the conv's output is a graph output
    n = new FusedScheduleTest.Net(new Random(7));
    x = n.input(8, 8, 8);
    a = n.conv(x, 1, 1, 8, Padding.VALID);
    b = n.leaky(a);
    n.g.output(a);
    n.g.output(n.conv(b, 1, 1, 8, Padding.VALID));
    c = modelC(n.build("graph_output"), "graph_output");
    assertEquals(0, count(c, "_lut("), c);

    // after a 3x3 conv (not the 1x1 DSP kernel)
    n = new FusedScheduleTest.Net(new Random(7));
    x = n.input(8, 8, 8);
    b = n.leaky(n.conv(x, 3, 1, 8, Padding.SAME));
    n.g.output(n.conv(b, 1, 1, 8, Padding.VALID));
    c = modelC(n.build("after_3x3"), "after_3x3");
    assertEquals(0, count(c, "_lut("), c);
    assertEquals(1, count(c, "tfk_lut_s8("), c);
  }
}
