package io.tinyforge.profile;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.verify.InputSets;
import io.tinyforge.verify.Reference;
import io.tinyforge.verify.Verification;
import io.tinyforge.verify.VerifyResult;
import io.tinyforge.verify.Verifier;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a model on a target over the verification protocol for a profile: one INVOKE per input set, each checked bit for
 * bit against the reference like {@code verify} does, then the per-operator counts of that INVOKE (GET_OP_COUNTS).
 * The same class measures the build without hooks, whole counts only, for the overhead.
 */
public final class Profiler {
  /** HELLO flags bit: the firmware records per-operator counts (TF_PROFILE_OPS). */
  public static final int FLAG_OP_COUNTS = 4;
  /** The -D that makes the verification firmware record per-operator counts. */
  public static final String PROFILE_DEFINE = "TF_PROFILE_OPS";

  private final Model model;
  private final Reference reference;
  private final PrintWriter progress;

  public Profiler(Model model, Reference reference, PrintWriter progress) {
    this.model = model;
    this.reference = reference;
    this.progress = progress;
  }

  /** Profiles every input set on a target running the profiling build. */
  public List<ProfileRun> profile(Verification.Target target, InputSets sets) {
    Verifier v = new Verifier(model, reference, target.session(), false, progress);
    HelloReply hello = v.connect(target.expectedHash());
    if ((hello.flags & FLAG_OP_COUNTS) == 0) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the firmware on "
          + target.connection().description() + " records no per-operator counts (not a profiling build); flash "
          + "the image of 'gen-firmware profile --build-only' or pass --flash");
    }
    List<ProfileRun> out = new ArrayList<>();
    for (int k = 0; k < sets.count(); k++) {
      long whole = exactRun(v, sets, k, "profiling build");
      long[] counts = target.session().opCounts(model.operators().size());
      out.add(new ProfileRun(label(sets, k), whole, Arrays.stream(counts).boxed().toList()));
    }
    return out;
  }

  /** Whole-inference counts of the same input sets on a target running the build without hooks. */
  public List<Long> baseline(Verification.Target target, InputSets sets) {
    Verifier v = new Verifier(model, reference, target.session(), false, progress);
    v.connect(target.expectedHash());
    List<Long> out = new ArrayList<>();
    for (int k = 0; k < sets.count(); k++) {
      out.add(exactRun(v, sets, k, "build without hooks"));
    }
    return out;
  }

  /** How the profile names input set {@code k}. */
  public static String label(InputSets sets, int k) {
    if (sets instanceof InputSets.Files f) {
      return "file " + f.names().get(k);
    }
    return "random seed " + (((InputSets.Random) sets).seed() + k);
  }

  /** Input set {@code k} alone. */
  static InputSets only(InputSets sets, int k) {
    if (sets instanceof InputSets.Files f) {
      return new InputSets.Files(List.of(f.names().get(k)), List.<byte[][]>of(f.sets().get(k)));
    }
    return new InputSets.Random(1, ((InputSets.Random) sets).seed() + k);
  }

  /** One verified inference of set k; its count, or exit 1 when an output differs from the reference. */
  private static long exactRun(Verifier v, InputSets sets, int k, String build) {
    VerifyResult r = v.run(only(sets, k));
    if (!r.allExact()) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "the " + build + "'s outputs differ from "
          + "the simulator's: " + String.join("; ", r.mismatches()).replace('\n', ' '));
    }
    return r.counts().get(0);
  }
}
