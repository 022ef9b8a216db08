package io.tinyforge.verify;

import io.tinyforge.TinyforgeException;
import io.tinyforge.model.Model;
import io.tinyforge.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The inputs to verify with: either files ({@code --inputs DIR}) or seeds ({@code --random N --seed S}), in which
 * case the target fills its inputs itself (GEN_INPUT) and the host recomputes the same bytes.
 */
public sealed interface InputSets {
  int count();

  /** Set {@code k} is the files' bytes, one array per model input. */
  record Files(List<String> names, List<byte[][]> sets) implements InputSets {
    @Override
    public int count() {
      return sets.size();
    }
  }

  /** Set {@code k} is generated from seed {@code seed + k}. */
  record Random(int count, int seed) implements InputSets {}

  /**
   * Reads {@code dir}: for a one-input model every {@code *.bin} file is one input set; for several inputs every
   * sub-folder is one set holding {@code input_0.bin, input_1.bin, ...}. Sizes must match the model exactly.
   */
  static Files read(Path dir, Model model) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new TinyforgeException("--inputs " + dir + " is not a folder; pass a folder of raw .bin input files");
    }
    List<String> names = new ArrayList<>();
    List<byte[][]> sets = new ArrayList<>();
    try (Stream<Path> list = java.nio.file.Files.list(dir)) {
      List<Path> entries = list.sorted().toList();
      if (model.inputs().size() == 1) {
        for (Path p : entries) {
          if (p.getFileName().toString().endsWith(".bin")) {
            names.add(p.getFileName().toString());
            sets.add(new byte[][] {readSized(p, model.input(0))});
          }
        }
      } else {
        for (Path sub : entries) {
          if (java.nio.file.Files.isDirectory(sub)) {
            byte[][] set = new byte[model.inputs().size()][];
            for (int i = 0; i < set.length; i++) {
              set[i] = readSized(sub.resolve("input_" + i + ".bin"), model.input(i));
            }
            names.add(sub.getFileName().toString());
            sets.add(set);
          }
        }
      }
    } catch (IOException e) {
      throw new TinyforgeException("cannot read --inputs " + dir + " (" + e.getMessage() + ")");
    }
    if (sets.isEmpty()) {
      throw new TinyforgeException("--inputs " + dir + " holds no input sets; put one .bin per set there"
          + (model.inputs().size() > 1 ? " (several inputs: one sub-folder per set with input_0.bin, input_1.bin, ...)"
              : ""));
    }
    return new Files(names, sets);
  }

  private static byte[] readSized(Path p, Tensor input) {
    byte[] b;
    try {
      b = java.nio.file.Files.readAllBytes(p);
    } catch (IOException e) {
      throw new TinyforgeException("cannot read input file " + p + " (" + e.getMessage() + ")");
    }
    if (b.length != input.byteSize()) {
      throw new TinyforgeException("input file " + p + " has " + b.length + " bytes but input " + input.label()
          + " needs " + input.byteSize() + " (" + input.type().name().toLowerCase() + " "
          + java.util.Arrays.toString(input.shape().toArray()) + ", raw bytes)");
    }
    return b;
  }
}
