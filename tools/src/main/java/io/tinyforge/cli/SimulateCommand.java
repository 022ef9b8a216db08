package io.tinyforge.cli;

import io.tinyforge.TinyforgeException;
import io.tinyforge.check.ModelValidator;
import io.tinyforge.model.Tensor;
import io.tinyforge.sim.Simulator;
import io.tinyforge.sim.TensorDetails;
import io.tinyforge.sim.Trace;
import io.tinyforge.tflite.TfliteReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware simulate model.tflite --input in0.bin ... --output-dir out/ [--trace]}: runs the bit-exact
 * simulator on one input set and writes every output as raw bytes and .npy.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run the bit-exact int8 simulator (same bytes as the firmware and TFLM) on one input set.")
final class SimulateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The int8 .tflite model.")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "One per model input, in order: raw tensor bytes or a .npy array.")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--output-dir", required = true, paramLabel = "DIR",
      description = "Where output_<i>.bin and output_<i>.npy are written.")
  Path outputDir;

  @Option(names = "--trace", description = "Also write every tensor as DIR/tensors/<index>_<name>.bin.")
  boolean trace;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Simulator sim = Simulator.of(ModelValidator.validate(TfliteReader.read(model)));
    if (inputs.size() != sim.inputCount()) {
      throw new TinyforgeException(model + " has " + sim.inputCount() + " input(s) but " + inputs.size()
          + " --input given; pass one --input per model input, in order");
    }
    byte[][] in = new byte[inputs.size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = readInput(inputs.get(i), i, sim.inputDetails(i));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
      throw new TinyforgeException("--output-dir " + outputDir + " is a file; pass a folder to write the outputs into");
    }
    try {
      Files.createDirectories(outputDir);
      byte[][] outputs;
      if (trace) {
        Trace t = sim.runTraced(in);
        outputs = t.outputs();
        Path dir = outputDir.resolve("tensors");
        Files.createDirectories(dir);
        for (Map.Entry<Integer, byte[]> e : t.tensors().entrySet()) {
          Tensor tensor = sim.model().tensor(e.getKey());
          Files.write(dir.resolve(e.getKey() + "_" + sanitize(tensor.name()) + ".bin"), e.getValue());
        }
        out.println("trace: " + t.tensors().size() + " tensors in " + dir);
      } else {
        outputs = sim.run(in);
      }
      for (int i = 0; i < outputs.length; i++) {
        TensorDetails d = sim.outputDetails(i);
        Path bin = outputDir.resolve("output_" + i + ".bin");
        Files.write(bin, outputs[i]);
        Files.write(outputDir.resolve("output_" + i + ".npy"), Npy.write(d.type(), d.shape(), outputs[i]));
        out.println("output " + i + " '" + d.name() + "' " + d.type().name().toLowerCase() + " "
            + shapeText(d.shape()) + ": " + preview(d, outputs[i]) + " -> " + bin);
      }
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT,
          "cannot write the outputs into " + outputDir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
              + "); check that the folder is writable");
    }
    return 0;
  }

  /** Room for a .npy header around the tensor's bytes. */
  private static final int NPY_HEADER_ALLOWANCE = 1 << 16;

  private static byte[] readInput(Path file, int i, TensorDetails d) {
    byte[] bytes;
    try {
      // read nothing far larger than the tensor (a .npy adds a short header): a wrong file must not exhaust memory
      long size = Files.size(file);
      if (size > (long) d.byteSize() + NPY_HEADER_ALLOWANCE) {
        throw new TinyforgeException("input " + i + " (" + file + "): " + size + " bytes, but the model's input '"
            + d.name() + "' needs " + d.byteSize() + " bytes (" + d.type().name().toLowerCase() + " "
            + shapeText(d.shape()) + ")");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TinyforgeException("input " + i + ": cannot read " + file + " (" + e.getMessage() + ")");
    }
    String what = "input " + i + " (" + file + ")";
    if (file.toString().endsWith(".npy") || Npy.looksLikeNpy(bytes)) {
      Npy.Array a = Npy.read(bytes, what);
      if (a.type() != d.type()) {
        throw new TinyforgeException(what + ": .npy dtype is " + a.type().name().toLowerCase() + " but the model's "
            + "input '" + d.name() + "' is " + d.type().name().toLowerCase());
      }
      bytes = a.data();
    }
    if (bytes.length != d.byteSize()) {
      throw new TinyforgeException(what + ": " + bytes.length + " bytes, but the model's input '" + d.name()
          + "' needs " + d.byteSize() + " bytes (" + d.type().name().toLowerCase() + " " + shapeText(d.shape()) + ")");
    }
    return bytes;
  }

  static String sanitize(String name) {
    String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (s.length() > 80) {
      s = s.substring(s.length() - 80);
    }
    return s.isEmpty() ? "unnamed" : s;
  }

  private static String shapeText(int[] shape) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < shape.length; k++) {
      sb.append(k == 0 ? "" : "x").append(shape[k]);
    }
    return shape.length == 0 ? "scalar" : sb.toString();
  }

  private static String preview(TensorDetails d, byte[] data) {
    int n = Math.min(16, d.elementCount());
    StringBuilder sb = new StringBuilder();
    if (d.type() == io.tinyforge.model.TensorType.FLOAT32) {
      float[] f = io.tinyforge.sim.QuantUtil.floats(data);
      for (int k = 0; k < n; k++) {
        sb.append(k == 0 ? "" : " ").append(f[k]);
      }
    } else if (d.type().bytes() == 1) {
      for (int k = 0; k < n; k++) {
        sb.append(k == 0 ? "" : " ").append(data[k]);
      }
    } else {
      sb.append(data.length).append(" bytes");
      return sb.toString();
    }
    if (d.elementCount() > n) {
      sb.append(" ...");
    }
    return sb.toString();
  }
}
