package io.tinyforge.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random tensor graphs shaped like real networks: chains with branches that rejoin (concatenation, add),
 * long skip connections, aliasing reshapes (also of constants), ops with scratch, several inputs and outputs.
 */
final class RandomGraphs {
  private RandomGraphs() {}

  static TensorGraph generate(Random r) {
    return generate(r, false);
  }

  /**
   * @param elementwise also generate element-wise steps (activations, same-size joins) whose output may overwrite
   *     an input
   */
  static TensorGraph generate(Random r, boolean elementwise) {
    List<Integer> bytes = new ArrayList<>();
    List<Boolean> constant = new ArrayList<>();
    List<TensorGraph.Step> steps = new ArrayList<>();
    List<Integer> inputs = new ArrayList<>();
    List<Integer> available = new ArrayList<>(); // activations produced so far
    int nIn = 1 + r.nextInt(2);
    for (int i = 0; i < nIn; i++) {
      int t = add(bytes, constant, size(r), false);
      inputs.add(t);
      available.add(t);
    }
    int nSteps = 1 + r.nextInt(25);
    for (int s = 0; s < nSteps; s++) {
      int kind = r.nextInt(elementwise ? 13 : 10);
      int a = available.get(available.size() - 1 - r.nextInt(Math.min(3, available.size())));
      if (kind == 10 || kind == 11) {
        // element-wise activation: same size, may run in place
        int out = add(bytes, constant, bytes.get(a), false);
        steps.add(new TensorGraph.Step(new int[] {a}, new int[] {out}, false, 0, new int[] {a}));
        available.add(out);
      } else if (kind == 12) {
        // element-wise join of two same-sized tensors (an ADD), either operand may be overwritten
        int b = available.get(r.nextInt(available.size()));
        if (!bytes.get(b).equals(bytes.get(a))) {
          b = a;
        }
        int out = add(bytes, constant, bytes.get(a), false);
        steps.add(new TensorGraph.Step(new int[] {a, b}, new int[] {out}, false, 0, new int[] {a, b}));
        available.add(out);
      } else if (kind == 0) {
        // alias (reshape) of a recent tensor or of a constant
        int in = r.nextInt(4) == 0 ? add(bytes, constant, size(r), true) : a;
        int out = add(bytes, constant, bytes.get(in), false);
        steps.add(new TensorGraph.Step(new int[] {in}, new int[] {out}, true, 0));
        available.add(out);
      } else if (kind <= 2) {
        // join: concatenation / add of two tensors, one possibly from far back (skip connection)
        int b = available.get(r.nextInt(available.size()));
        int out = add(bytes, constant, size(r), false);
        steps.add(new TensorGraph.Step(new int[] {a, b}, new int[] {out}, false, 0));
        available.add(out);
      } else if (kind == 3) {
        // split into two branches
        int o1 = add(bytes, constant, size(r), false);
        int o2 = add(bytes, constant, size(r), false);
        steps.add(new TensorGraph.Step(new int[] {a}, new int[] {o1, o2}, false, 0));
        available.add(o1);
        available.add(o2);
      } else {
        // conv-like: activation + weights (+ scratch sometimes)
        int w = add(bytes, constant, size(r), true);
        int out = add(bytes, constant, size(r), false);
        int scratch = r.nextInt(5) == 0 ? size(r) : 0;
        steps.add(new TensorGraph.Step(new int[] {a, w}, new int[] {out}, false, scratch));
        available.add(out);
      }
    }
    List<Integer> outputs = new ArrayList<>();
    outputs.add(available.get(available.size() - 1));
    if (r.nextBoolean() && available.size() > 2) {
      int extra = available.get(r.nextInt(available.size() - 1));
      if (!outputs.contains(extra)) {
        outputs.add(extra);
      }
    }
    int[] b = new int[bytes.size()];
    boolean[] c = new boolean[bytes.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = bytes.get(i);
      c[i] = constant.get(i);
    }
    return new TensorGraph(b, c, steps, inputs, outputs);
  }

  private static int size(Random r) {
    return r.nextInt(4) == 0 ? 1 + r.nextInt(20) : 1 + r.nextInt(5000);
  }

  private static int add(List<Integer> bytes, List<Boolean> constant, int size, boolean isConstant) {
    bytes.add(size);
    constant.add(isConstant);
    return bytes.size() - 1;
  }
}
