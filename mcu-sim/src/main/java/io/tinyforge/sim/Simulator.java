package io.tinyforge.sim;

import io.tinyforge.TinyforgeException;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.lower.LoweredModel;
import io.tinyforge.lower.LoweredOp;
import io.tinyforge.lower.Lowering;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import io.tinyforge.tflite.TfliteReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bit-exact host simulator of a lowered int8 model: the same integer arithmetic as TFLM's reference kernels, so
 * its outputs equal the firmware's byte for byte. API modelled on the TFLite interpreter: load, inspect the I/O,
 * run. Inputs and outputs are raw tensor bytes (int8, or float32 little-endian for float-I/O models).
 * Not thread-safe: one instance owns one arena.
 */
public final class Simulator {
  private final LoweredModel lowered;
  private final TensorArena arena;
  private final List<Kernel<KernelParams>> kernels = new ArrayList<>();

  private Simulator(LoweredModel lowered, KernelRegistry registry) {
    this.lowered = lowered;
    this.arena = new TensorArena(lowered.model());
    for (LoweredOp op : lowered.ops()) {
      KernelParams p = op.params();
      if (!registry.has(p.getClass())) {
        throw new TinyforgeException(lowered.model().source() + ": op " + op.operator().index() + " ("
            + op.operator().opName() + ") has no simulator kernel yet");
      }
      kernels.add(registry.kernelFor(p));
    }
    reset();
  }

  /** Reads, lowers and prepares a .tflite model. */
  public static Simulator load(Path model) {
    return of(TfliteReader.read(model));
  }

  public static Simulator of(Model model) {
    return of(Lowering.lower(model));
  }

  public static Simulator of(LoweredModel lowered) {
    return new Simulator(lowered, KernelRegistry.standard());
  }

  public static Simulator of(LoweredModel lowered, KernelRegistry registry) {
    return new Simulator(lowered, registry);
  }

  public LoweredModel lowered() {
    return lowered;
  }

  public Model model() {
    return lowered.model();
  }

  public int inputCount() {
    return model().inputs().size();
  }

  public int outputCount() {
    return model().outputs().size();
  }

  public TensorDetails inputDetails(int i) {
    return TensorDetails.of(model().input(i));
  }

  public TensorDetails outputDetails(int i) {
    return TensorDetails.of(model().output(i));
  }

  /** Whether the model has variable (state) tensors, so each run depends on the runs before it. */
  public boolean isStateful() {
    return model().tensors().stream().anyMatch(Tensor::isVariable);
  }

  /**
   * Puts every variable (state) tensor back to its initial value, as TFLM's ResetVariableTensors does: the zero
   * point for int8 state, 0 for other types. Done once on construction; stateless models are unaffected.
   */
  public synchronized void reset() {
    for (Tensor t : model().tensors()) {
      if (t.isVariable()) {
        int fill = t.type() == TensorType.INT8 && t.quantization() != null ? t.quantization().zeroPoint() : 0;
        java.util.Arrays.fill(arena.bytes(t.index()), (byte) fill);
      }
    }
  }

  /** The current bytes of every variable (state) tensor, by tensor index (copies; empty for a stateless model). */
  public synchronized Map<Integer, byte[]> state() {
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (Tensor t : model().tensors()) {
      if (t.isVariable()) {
        out.put(t.index(), arena.bytes(t.index()).clone());
      }
    }
    return out;
  }

  /**
   * Runs a sequence of inferences from the current state (call {@link #reset()} first for a fresh start) and
   * returns each run's outputs: with state tensors, run k sees the state left by runs 0..k-1.
   */
  public synchronized List<byte[][]> runSequence(List<byte[][]> inputs) {
    List<byte[][]> outs = new ArrayList<>(inputs.size());
    for (byte[][] in : inputs) {
      outs.add(run(in));
    }
    return outs;
  }

  /** Runs one inference; returns copies of the outputs in model order. State tensors carry over to the next run. */
  public synchronized byte[][] run(byte[][] inputs) {
    setInputs(inputs);
    for (int i = 0; i < kernels.size(); i++) {
      kernels.get(i).run(lowered.ops().get(i).params(), arena);
    }
    return readOutputs();
  }

  /** Single-input, single-output convenience: fills {@code output} (which must have the output's size). */
  public void run(byte[] input, byte[] output) {
    if (inputCount() != 1 || outputCount() != 1) {
      throw new TinyforgeException("the model has " + inputCount() + " inputs and " + outputCount()
          + " outputs; use run(byte[][])");
    }
    byte[] out = run(new byte[][] {input})[0];
    if (output.length != out.length) {
      throw new TinyforgeException("output buffer holds " + output.length + " bytes, the output needs "
          + out.length);
    }
    System.arraycopy(out, 0, output, 0, out.length);
  }

  /** Runs one inference and returns the wall time of each op in nanoseconds (for profiling the simulator). */
  public synchronized long[] profile(byte[][] inputs) {
    setInputs(inputs);
    long[] ns = new long[kernels.size()];
    for (int i = 0; i < kernels.size(); i++) {
      long t0 = System.nanoTime();
      kernels.get(i).run(lowered.ops().get(i).params(), arena);
      ns[i] = System.nanoTime() - t0;
    }
    return ns;
  }

  /** Runs one inference recording every op's outputs. */
  public synchronized Trace runTraced(byte[][] inputs) {
    setInputs(inputs);
    List<Trace.Step> steps = new ArrayList<>();
    Map<Integer, byte[]> tensors = new LinkedHashMap<>();
    for (int idx : model().inputs()) {
      tensors.put(idx, arena.bytes(idx).clone());
    }
    for (int i = 0; i < kernels.size(); i++) {
      LoweredOp op = lowered.ops().get(i);
      kernels.get(i).run(op.params(), arena);
      Map<Integer, byte[]> written = new LinkedHashMap<>();
      for (int t : op.params().outputTensors()) {
        byte[] copy = arena.bytes(t).clone();
        written.put(t, copy);
        tensors.put(t, copy);
      }
      steps.add(new Trace.Step(op.operator().index(), op.operator().opName(), written));
    }
    return new Trace(steps, tensors, readOutputs());
  }

  private void setInputs(byte[][] inputs) {
    if (inputs.length != inputCount()) {
      throw new TinyforgeException("the model has " + inputCount() + " inputs, " + inputs.length + " given");
    }
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = model().input(i);
      byte[] dst = arena.bytes(t.index());
      if (inputs[i] == null || inputs[i].length != dst.length) {
        throw new TinyforgeException("input " + i + " " + t.label() + " needs " + dst.length + " bytes ("
            + t.type().name().toLowerCase() + " " + t.shape() + "), got "
            + (inputs[i] == null ? "none" : inputs[i].length + " bytes"));
      }
      System.arraycopy(inputs[i], 0, dst, 0, dst.length);
    }
  }

  private byte[][] readOutputs() {
    byte[][] out = new byte[outputCount()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = arena.bytes(model().outputs().get(i)).clone();
    }
    return out;
  }
}
