package io.tinyforge.tflite;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads an operator's builtin options table into the {@link OpOptions} record of its op. */
final class OptionsParser {
  private OptionsParser() {}

  /** BuiltinOptions union index expected for an op, or 0 for ops whose options tinyforge does not read. */
  static int unionTypeOf(BuiltinOp op) {
    if (op == null) {
      return 0;
    }
    return switch (op) {
      case CONV_2D -> 1;
      case DEPTHWISE_CONV_2D -> 2;
      case AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D -> 5;
      case SVDF -> 6;
      case FULLY_CONNECTED -> 8;
      case SOFTMAX -> 9;
      case CONCATENATION -> 10;
      case ADD -> 11;
      case RESIZE_BILINEAR -> 15;
      case RESHAPE -> 17;
      case SPACE_TO_DEPTH -> 19;
      case MUL -> 21;
      case MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD -> 27;
      case SUB -> 28;
      case DIV -> 29;
      case SQUEEZE -> 30;
      case STRIDED_SLICE -> 32;
      case SPLIT -> 35;
      case TRANSPOSE_CONV -> 49;
      case PACK -> 59;
      case UNPACK -> 64;
      case RESIZE_NEAREST_NEIGHBOR -> 74;
      case LEAKY_RELU -> 75;
      case SPLIT_V -> 79;
      case DEPTH_TO_SPACE -> 94;
      default -> 0;
    };
  }

  static OpOptions parse(int opcode, int unionType, FlatTable t, Function<String, ModelException> error) {
    BuiltinOp op = BuiltinOp.fromCode(opcode);
    int expected = unionTypeOf(op);
    if (expected == 0) {
      return new OpOptions.None();
    }
    if (t != null && unionType != expected) {
      throw error.apply("builtin options have union type " + unionType + ", expected " + expected
          + " for this op; the model is corrupt: re-export it");
    }
    // A missing table means all-default options, as the TFLite schema defines.
    return switch (op) {
      case CONV_2D -> new OpOptions.Conv2D(padding(t, 0, error), i(t, 1, 0), i(t, 2, 0), act(t, 3, error),
          i(t, 4, 1), i(t, 5, 1));
      case DEPTHWISE_CONV_2D -> new OpOptions.DepthwiseConv2D(padding(t, 0, error), i(t, 1, 0), i(t, 2, 0),
          i(t, 3, 0), act(t, 4, error), i(t, 5, 1), i(t, 6, 1));
      case AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D -> new OpOptions.Pool2D(padding(t, 0, error), i(t, 1, 0),
          i(t, 2, 0), i(t, 3, 0), i(t, 4, 0), act(t, 5, error));
      case SVDF -> new OpOptions.Svdf(i(t, 0, 0), act(t, 1, error));
      case FULLY_CONNECTED -> new OpOptions.FullyConnected(act(t, 0, error), t == null ? 0 : t.getByte(1, 0),
          t != null && t.getBool(2, false));
      case SOFTMAX -> new OpOptions.Softmax(t == null ? 0f : t.getFloat(0, 0f));
      case CONCATENATION -> new OpOptions.Concatenation(i(t, 0, 0), act(t, 1, error));
      case ADD, MUL, SUB, DIV -> new OpOptions.Arithmetic(act(t, 0, error));
      case RESIZE_BILINEAR -> new OpOptions.Resize(b(t, 2), b(t, 3));
      case RESIZE_NEAREST_NEIGHBOR -> new OpOptions.Resize(b(t, 0), b(t, 1));
      case RESHAPE -> new OpOptions.Reshape(list(t == null ? null : t.getIntVector(0)));
      case MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD -> new OpOptions.Reducer(b(t, 0));
      case SQUEEZE -> new OpOptions.Squeeze(list(t == null ? null : t.getIntVector(0)));
      case STRIDED_SLICE -> new OpOptions.StridedSlice(i(t, 0, 0), i(t, 1, 0), i(t, 2, 0), i(t, 3, 0), i(t, 4, 0),
          b(t, 5));
      case SPLIT, SPLIT_V -> new OpOptions.Split(i(t, 0, 0));
      case TRANSPOSE_CONV -> new OpOptions.TransposeConv(padding(t, 0, error), i(t, 1, 0), i(t, 2, 0),
          act(t, 3, error));
      case PACK -> new OpOptions.Pack(i(t, 0, 0), i(t, 1, 0));
      case UNPACK -> new OpOptions.Unpack(i(t, 0, 0), i(t, 1, 0));
      case LEAKY_RELU -> new OpOptions.LeakyRelu(t == null ? 0f : t.getFloat(0, 0f));
      case SPACE_TO_DEPTH, DEPTH_TO_SPACE -> new OpOptions.BlockSize(i(t, 0, 0));
      default -> new OpOptions.None();
    };
  }

  private static int i(FlatTable t, int id, int dflt) {
    return t == null ? dflt : t.getInt(id, dflt);
  }

  private static boolean b(FlatTable t, int id) {
    return t != null && t.getBool(id, false);
  }

  private static Padding padding(FlatTable t, int id, Function<String, ModelException> error) {
    int code = t == null ? 0 : t.getByte(id, 0);
    // Padding.fromCode maps every other code to SAME; a corrupt byte must not silently change the output size
    if (code != Padding.SAME.code() && code != Padding.VALID.code()) {
      throw error.apply("unknown padding code " + code + " (0 = SAME, 1 = VALID); the model is corrupt: re-export it");
    }
    return Padding.fromCode(code);
  }

  private static Activation act(FlatTable t, int id, Function<String, ModelException> error) {
    int code = t == null ? 0 : t.getByte(id, 0);
    Activation a = Activation.fromCode(code);
    if (a == null) {
      throw error.apply("unknown fused activation code " + code + "; the model is corrupt: re-export it");
    }
    return a;
  }

  private static List<Integer> list(int[] v) {
    List<Integer> out = new ArrayList<>();
    if (v != null) {
      for (int x : v) {
        out.add(x);
      }
    }
    return out;
  }
}
