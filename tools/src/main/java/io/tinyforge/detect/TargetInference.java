package io.tinyforge.detect;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.serial.protocol.HelloReply;
import io.tinyforge.serial.protocol.InvokeReply;
import io.tinyforge.verify.Reference;
import io.tinyforge.verify.Verification;
import io.tinyforge.verify.Verifier;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One inference of a one-input model on a target running its verification firmware, over the verification
 * protocol: HELLO (model hash and shapes checked by {@link Verifier#connect}), SET_INPUT in chunks with progress,
 * INVOKE, GET_OUTPUT of every output.
 *
 * @param count the target's counter for the inference, in {@code unit} (QEMU: instructions, real boards: cycles)
 */
public record TargetInference(byte[][] outputs, long count, String unit, long stackBytes) {

  public static TargetInference run(Model model, Reference reference, Verification.Target target, byte[] input,
      PrintWriter progress) {
    Verifier verifier = new Verifier(model, reference, target.session(), false, progress);
    HelloReply hello = verifier.connect(target.expectedHash());
    long start = System.nanoTime();
    int[] shown = {0};
    progress.printf(Locale.ROOT, "detect: sending the input (%,d bytes) to the target in %d-byte chunks%n",
        input.length, hello.maxPayload - 5);
    progress.flush();
    target.session().setInput(0, input, (done, total) -> {
      int tenth = (int) (10L * done / total);
      if (tenth > shown[0]) {
        shown[0] = tenth;
        progress.printf(Locale.ROOT, "detect: input %3d%% (%,d of %,d bytes, %.1f s)%n", tenth * 10, done, total,
            (System.nanoTime() - start) / 1e9);
        progress.flush();
      }
    });
    progress.println("detect: running the model on the target");
    progress.flush();
    InvokeReply r = target.session().invoke();
    if (r.status != 0) {
      throw new TinyforgeException(TinyforgeException.EXIT_CHECK_FAILED, "model_invoke returned status " + r.status
          + " on the target");
    }
    byte[][] outputs = new byte[model.outputs().size()][];
    for (int o = 0; o < outputs.length; o++) {
      outputs[o] = target.session().getOutput(o, model.output(o).byteSize());
    }
    return new TargetInference(outputs, r.count, hello.counterUnit, r.stackBytes);
  }
}
