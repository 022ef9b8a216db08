package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import io.tinyforge.serial.TargetSession;
import io.tinyforge.serial.protocol.GenInputReply;
import io.tinyforge.serial.protocol.GetTensorHashReply;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.serial.protocol.InvokeReply;
import io.tinyforge.serial.protocol.Protocol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the input sets on a connected target and compares every output with the reference: output hashes first,
 * full bytes on a mismatch, then per-operator hashes and the first differing operator's tensor. Inputs are loaded
 * again before every INVOKE because a memory plan may reuse an input's bytes once it has been consumed. A stateful
 * model's input sets form one sequence from a RESET (target and simulator alike), each output compared in turn.
 */
public final class Verifier {
  /** HELLO flags bit: the model calls the per-op hook. */
  static final int FLAG_OP_HOOK = 1;
  static final int FLAG_PERTURBED = 2;
  /** Mismatches printed in full; the rest are counted. */
  static final int SHOWN_MISMATCHES = 5;

  private final Model model;
  private final Reference reference;
  private final TargetSession session;
  private final PrintWriter progress;
  private final boolean perLayer;
  private HelloReply hello;

  public Verifier(Model model, Reference reference, TargetSession session, boolean perLayer, PrintWriter progress) {
    this.model = model;
    this.reference = reference;
    this.session = session;
    this.perLayer = perLayer;
    this.progress = progress;
  }

  /** The target's description of itself, from {@link #connect}. */
  public HelloReply hello() {
    if (hello == null) {
      throw new IllegalStateException("connect first");
    }
    return hello;
  }

  /** Says hello and checks that the target runs this model; returns the target's description of itself. */
  public HelloReply connect(String expectedHash) {
    hello = session.hello();
    if (!hello.modelHash.equals(expectedHash)) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the target runs another model (hash "
          + hello.modelHash + ", expected " + expectedHash + " for " + model.source()
          + "); flash the firmware built for this model");
    }
    if (hello.inputs.size() != model.inputs().size() || hello.outputs.size() != model.outputs().size()) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the target's model has "
          + hello.inputs.size() + " inputs and " + hello.outputs.size() + " outputs, " + model.source() + " has "
          + model.inputs().size() + " and " + model.outputs().size());
    }
    for (int i = 0; i < hello.inputs.size(); i++) {
      if (hello.inputs.get(i).bytes != model.input(i).byteSize()) {
        throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the target's input " + i + " has "
            + hello.inputs.get(i).bytes + " bytes, the model's " + model.input(i).byteSize());
      }
    }
    for (int i = 0; i < hello.outputs.size(); i++) {
      if (hello.outputs.get(i).bytes != model.output(i).byteSize()) {
        throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the target's output " + i + " has "
            + hello.outputs.get(i).bytes + " bytes, the model's " + model.output(i).byteSize());
      }
    }
    if ((hello.flags & FLAG_PERTURBED) != 0) {
      progress.println("verify: note: this firmware has a TEST perturbation compiled in (TFK_TEST_PERTURB_OP)");
    }
    return hello;
  }

  /** How often an input is sent before the link is declared broken. */
  private static final int INPUT_ATTEMPTS = 3;

  /** Runs every input set; {@link #connect} first. */
  public VerifyResult run(InputSets inputs) {
    if (hello == null) {
      throw new IllegalStateException("connect first");
    }
    List<Long> counts = new ArrayList<>();
    long stackBytes = 0;
    List<String> mismatches = new ArrayList<>();
    int exact = 0;
    long start = System.nanoTime();
    long lastProgress = start;
    boolean stateful = reference.stateful();
    if (stateful) {
      // One sequence: target and reference both start from the reset state and carry it from set to set.
      long stateBytes = session.reset();
      reference.reset();
      progress.println("verify: stateful model (" + stateBytes + " bytes of state): the " + inputs.count()
          + " input sets run as one sequence from a RESET; every output and state tensor of the sequence is compared");
    }
    for (int k = 0; k < inputs.count(); k++) {
      String name = setName(inputs, k);
      byte[][] in = hostInputs(inputs, k);
      load(inputs, k, in);
      InvokeReply r = session.invoke();
      counts.add(r.count);
      stackBytes = Math.max(stackBytes, r.stackBytes);
      String problem = r.status != 0 ? "model_invoke returned status " + r.status : compareOutputs(in);
      if (problem != null && r.status == 0 && !stateful) {
        // (Not for a stateful model: running the input again would advance its state.)
        // Inputs were confirmed, but a reply can still have been damaged in a way the framing missed: a verdict
        // against the firmware needs the difference twice.
        load(inputs, k, in);
        InvokeReply again = session.invoke();
        String second = again.status != 0 ? "model_invoke returned status " + again.status : compareOutputs(in);
        if (second == null) {
          progress.println("verify: note: " + name + " differed once and matched when run again with the same, "
              + "confirmed inputs (a serial link fault); counted as bit-exact");
        }
        problem = second;
      }
      if (problem == null && stateful) {
        problem = compareState();
      }
      String layer = null;
      if (stateful && problem != null) {
        layer = "the first differing operator is not searched in a stateful model (re-running an input would "
            + "advance the state)";
      } else if (!stateful && (problem != null || perLayer)) {
        layer = locate(inputs, k, in);
      }
      if (problem == null && layer != null && perLayer) {
        problem = "outputs match but an operator differs";
      }
      if (problem == null) {
        exact++;
      } else {
        String line = "MISMATCH " + name + ": " + problem + (layer == null ? "" : "\n    " + layer);
        mismatches.add(line);
        if (mismatches.size() <= SHOWN_MISMATCHES) {
          progress.println("verify: " + line);
        }
      }
      long now = System.nanoTime();
      if (now - lastProgress > 2_000_000_000L && k + 1 < inputs.count()) {
        lastProgress = now;
        progress.printf(Locale.ROOT, "verify: %d/%d input sets, %d bit-exact (%.0f s)%n", k + 1, inputs.count(),
            exact, (now - start) / 1e9);
      }
      progress.flush();
    }
    return new VerifyResult(inputs.count(), exact, counts, hello.counterUnit, mismatches, stackBytes);
  }

  private static String setName(InputSets inputs, int k) {
    if (inputs instanceof InputSets.Files f) {
      return "input " + f.names().get(k);
    }
    return "input set " + (k + 1) + " (seed " + (((InputSets.Random) inputs).seed() + k) + ")";
  }

  /** The bytes of set k as the host sees them (for GEN_INPUT: what the shared PRNG gives). */
  private byte[][] hostInputs(InputSets inputs, int k) {
    if (inputs instanceof InputSets.Files f) {
      return f.sets().get(k);
    }
    int seed = ((InputSets.Random) inputs).seed() + k;
    byte[][] in = new byte[model.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = new byte[model.input(i).byteSize()];
      Protocol.prngFill(in[i], seed, i);
      if (isFloat(i)) {
        in[i] = FloatInputs.generate(model, i, in[i]);
      }
    }
    return in;
  }

  /** Puts set k into the target's inputs. */
  private void load(InputSets inputs, int k, byte[][] in) {
    if (inputs instanceof InputSets.Files) {
      for (int i = 0; i < in.length; i++) {
        sendConfirmed(i, in[i]);
      }
      return;
    }
    int seed = ((InputSets.Random) inputs).seed() + k;
    for (int i = 0; i < in.length; i++) {
      if (isFloat(i)) {
        sendConfirmed(i, in[i]); // finite floats made on the host (random bytes would be NaNs)
        continue;
      }
      GenInputReply g = session.genInput(i, seed);
      if (g.length != in[i].length || g.hash != Protocol.fnv1a64(in[i])) {
        throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "the target generated other bytes for "
            + "input " + i + " from seed " + seed + " than this host (PRNG mismatch: rebuild the firmware)");
      }
    }
  }

  /**
   * Sends input {@code i} and has the target hash what it now holds: a chunk damaged or misplaced on the way must
   * never be run and then blamed on the firmware. Sent again on a difference; a link that keeps corrupting is an
   * environment problem, not a verdict.
   */
  private void sendConfirmed(int i, byte[] bytes) {
    long want = Protocol.fnv1a64(bytes);
    int tensor = model.inputs().get(i);
    for (int attempt = 1; attempt <= INPUT_ATTEMPTS; attempt++) {
      session.setInput(i, bytes);
      var held = session.tensorHash(tensor);
      if (held.size == bytes.length && held.hash == want) {
        return;
      }
      progress.println("verify: input " + i + " arrived damaged (attempt " + attempt + " of " + INPUT_ATTEMPTS
          + "); sending it again");
    }
    throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "input " + i + " did not arrive intact in "
        + INPUT_ATTEMPTS + " attempts: the serial link corrupts data (check the cable, the baud rate, the port)");
  }

  private boolean isFloat(int input) {
    return model.input(input).type() == io.tinyforge.model.TensorType.FLOAT32;
  }

  /** Null when every output matches; else the first differing output and element. */
  private String compareOutputs(byte[][] in) {
    byte[][] want = reference.run(in);
    List<Long> got = session.outputHashes();
    for (int o = 0; o < want.length; o++) {
      if (got.get(o) == Protocol.fnv1a64(want[o])) {
        continue;
      }
      Tensor t = model.output(o);
      byte[] bytes = session.getOutput(o, want[o].length);
      Divergence d = Divergence.of(t, want[o], bytes);
      if (d == null) {
        return "output " + o + " " + t.label() + " hash differs but its bytes match (a transfer fault?)";
      }
      return "output " + o + " " + t.label() + " " + d.describe();
    }
    return null;
  }

  /**
   * Null when every state tensor on the target equals the reference's after this run (the outputs of a stateful
   * model can saturate and hide a drifting state); else the first differing one.
   */
  private String compareState() {
    for (java.util.Map.Entry<Integer, byte[]> e : reference.state().entrySet()) {
      GetTensorHashReply h = session.tensorHash(e.getKey());
      if (h.size != e.getValue().length || h.hash != Protocol.fnv1a64(e.getValue())) {
        Tensor t = model.tensor(e.getKey());
        Divergence d = Divergence.of(t, e.getValue(), session.getTensor(e.getKey()));
        return "state tensor " + e.getKey() + " " + t.label() + " "
            + (d == null ? "hash differs, bytes match" : d.describe());
      }
    }
    return null;
  }

  /** Names the first operator whose output differs, or says why it cannot. Null when every operator matches. */
  private String locate(InputSets inputs, int k, byte[][] in) {
    if ((hello.flags & FLAG_OP_HOOK) == 0) {
      return "cannot name the operator: the model was generated without the per-op hook";
    }
    load(inputs, k, in);
    session.invoke(TargetSession.ALL_OPS, true);
    long[] hashes = session.opHashes(model.operators().size());
    for (Reference.OpOutput op : reference.trace(in)) {
      long h = hashes[op.opIndex()];
      if (h == 0 || h == Protocol.fnv1a64(op.bytes())) {
        continue;
      }
      load(inputs, k, in);
      session.invoke(op.opIndex(), false);
      Tensor t = model.tensor(op.tensor());
      byte[] got = session.getTensor(op.tensor());
      Divergence d = Divergence.of(t, op.bytes(), got);
      return "first differing operator: #" + op.opIndex() + " " + op.opName() + " (output tensor " + op.tensor() + " "
          + t.label() + ") " + (d == null ? "hash differs, bytes match" : d.describe());
    }
    return null;
  }
}
