package io.tinyforge.verify;

import io.tinyforge.model.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stand-in model firmware/app/test_model (C) as generator and reference (its graph and arithmetic, written
 * independently of the C, come from the serial tests): verify can be tested end to end without the code generator.
 */
final class FakeModel implements Reference {
  static final String HASH = io.tinyforge.serial.FakeModel.HASH;

  static Path root() {
    return Path.of(System.getProperty("tinyforge.root", "..")).toAbsolutePath().normalize();
  }

  static Model graph() {
    return io.tinyforge.serial.FakeModel.graph();
  }

  /** The stand-in's C, optionally compiled to claim another MODEL_HASH (a "wrong model" on the target). */
  static ModelSourceGenerator generator(String claimedHash) {
    Path dir = root().resolve("firmware/app/test_model");
    Map<String, String> defines = claimedHash.equals(HASH) ? Map.of() : Map.of("MODEL_HASH", "\"" + claimedHash + "\"");
    return (board, out) -> new GeneratedModel(List.of(dir.resolve("model.c")), List.of(dir), defines, HASH);
  }

  static byte[][] all(byte[] in0, byte[] in1) {
    return io.tinyforge.serial.FakeModel.run(in0, in1);
  }

  @Override
  public byte[][] run(byte[][] inputs) {
    byte[][] t = all(inputs[0], inputs[1]);
    return new byte[][] {t[3], t[4]};
  }

  @Override
  public List<OpOutput> trace(byte[][] inputs) {
    byte[][] t = all(inputs[0], inputs[1]);
    return List.of(new OpOutput(0, "ADD", 2, t[2]), new OpOutput(1, "MUL", 3, t[3]), new OpOutput(2, "ADD", 4, t[4]));
  }
}
