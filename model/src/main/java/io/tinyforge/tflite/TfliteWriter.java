package io.tinyforge.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import io.tinyforge.model.Model;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Model} as a TFLite flatbuffer (schema version 3, identifier TFL3, one subgraph). Used by tests to make
 * models of any op, shape and quantization, and by the fuzzer. Field ids mirror {@link TfliteReader}.
 */
public final class TfliteWriter {
  private final FlatBufferBuilder fb = new FlatBufferBuilder(4096);

  private TfliteWriter() {}

  public static byte[] write(Model model) {
    return new TfliteWriter().writeModel(model);
  }

  private byte[] writeModel(Model model) {
    // Buffers: 0 is the empty sentinel; every constant tensor gets its own; metadata buffers follow.
    List<Integer> bufferOffsets = new ArrayList<>();
    bufferOffsets.add(emptyTable());
    int[] tensorBuffer = new int[model.tensors().size()];
    for (Tensor t : model.tensors()) {
      if (t.isConstant()) {
        tensorBuffer[t.index()] = bufferOffsets.size();
        bufferOffsets.add(buffer(t.constantData()));
      }
    }
    Map<String, Integer> metadataBuffer = new LinkedHashMap<>();
    for (Map.Entry<String, ByteBuffer> e : model.metadata().entrySet()) {
      metadataBuffer.put(e.getKey(), bufferOffsets.size());
      bufferOffsets.add(buffer(e.getValue().duplicate()));
    }

    // Operator codes: one per distinct (opcode, version, custom code), in first-use order.
    List<String> codeKeys = new ArrayList<>();
    List<Operator> codeOps = new ArrayList<>();
    int[] opCodeIndex = new int[model.operators().size()];
    for (Operator op : model.operators()) {
      String key = op.opcode() + "/" + op.version() + "/" + op.customCode();
      int idx = codeKeys.indexOf(key);
      if (idx < 0) {
        idx = codeKeys.size();
        codeKeys.add(key);
        codeOps.add(op);
      }
      opCodeIndex[op.index()] = idx;
    }
    int[] codes = new int[codeOps.size()];
    for (int i = 0; i < codes.length; i++) {
      Operator op = codeOps.get(i);
      int custom = op.customCode() == null ? 0 : fb.createString(op.customCode());
      fb.startTable(4);
      fb.addInt(3, op.opcode(), 0);
      fb.addInt(2, op.version(), 1);
      if (custom != 0) {
        fb.addOffset(1, custom, 0);
      }
      fb.addByte(0, (byte) Math.min(op.opcode(), 127), 0);
      codes[i] = fb.endTable();
    }

    int[] tensors = new int[model.tensors().size()];
    for (Tensor t : model.tensors()) {
      tensors[t.index()] = tensor(t, tensorBuffer[t.index()]);
    }
    int[] ops = new int[model.operators().size()];
    for (Operator op : model.operators()) {
      ops[op.index()] = operator(op, opCodeIndex[op.index()]);
    }

    int tensorsVec = fb.createVectorOfTables(tensors);
    int inputsVec = intVector(model.inputs());
    int outputsVec = intVector(model.outputs());
    int opsVec = fb.createVectorOfTables(ops);
    int subName = fb.createString("main");
    fb.startTable(5);
    fb.addOffset(0, tensorsVec, 0);
    fb.addOffset(1, inputsVec, 0);
    fb.addOffset(2, outputsVec, 0);
    fb.addOffset(3, opsVec, 0);
    fb.addOffset(4, subName, 0);
    int subgraph = fb.endTable();

    int[] metadata = new int[metadataBuffer.size()];
    int m = 0;
    for (Map.Entry<String, Integer> e : metadataBuffer.entrySet()) {
      int name = fb.createString(e.getKey());
      fb.startTable(2);
      fb.addOffset(0, name, 0);
      fb.addInt(1, e.getValue(), 0);
      metadata[m++] = fb.endTable();
    }

    int codesVec = fb.createVectorOfTables(codes);
    int subgraphsVec = fb.createVectorOfTables(new int[] {subgraph});
    int description = fb.createString(model.description());
    int buffersVec = fb.createVectorOfTables(bufferOffsets.stream().mapToInt(Integer::intValue).toArray());
    int metadataVec = metadata.length == 0 ? 0 : fb.createVectorOfTables(metadata);
    fb.startTable(8);
    fb.addInt(0, 3, -1);
    fb.addOffset(1, codesVec, 0);
    fb.addOffset(2, subgraphsVec, 0);
    fb.addOffset(3, description, 0);
    fb.addOffset(4, buffersVec, 0);
    if (metadataVec != 0) {
      fb.addOffset(6, metadataVec, 0);
    }
    int root = fb.endTable();
    fb.finish(root, "TFL3");
    return fb.sizedByteArray();
  }

  private int emptyTable() {
    fb.startTable(1);
    return fb.endTable();
  }

  private int buffer(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    // Constant data is 16-byte aligned in the file, as the TFLite converter does, so kernels may read it in place.
    fb.startVector(1, bytes.length, 16);
    for (int i = bytes.length - 1; i >= 0; i--) {
      fb.addByte(bytes[i]);
    }
    int vec = fb.endVector();
    fb.startTable(1);
    fb.addOffset(0, vec, 0);
    return fb.endTable();
  }

  private int intVector(List<Integer> values) {
    int[] a = values.stream().mapToInt(Integer::intValue).toArray();
    fb.startVector(4, a.length, 4);
    for (int i = a.length - 1; i >= 0; i--) {
      fb.addInt(a[i]);
    }
    return fb.endVector();
  }

  private int intVector(int[] a) {
    fb.startVector(4, a.length, 4);
    for (int i = a.length - 1; i >= 0; i--) {
      fb.addInt(a[i]);
    }
    return fb.endVector();
  }

  private int tensor(Tensor t, int bufferIndex) {
    int shape = intVector(t.shape().toArray());
    int name = fb.createString(t.name());
    int quant = t.quantization() == null ? 0 : quantization(t.quantization());
    fb.startTable(6);
    fb.addOffset(0, shape, 0);
    fb.addByte(1, (byte) t.type().code(), 0);
    fb.addInt(2, bufferIndex, 0);
    fb.addOffset(3, name, 0);
    if (quant != 0) {
      fb.addOffset(4, quant, 0);
    }
    fb.addBoolean(5, t.isVariable(), false);
    return fb.endTable();
  }

  private int quantization(Quantization q) {
    fb.startVector(4, q.scales().size(), 4);
    for (int i = q.scales().size() - 1; i >= 0; i--) {
      fb.addFloat(q.scales().get(i));
    }
    int scales = fb.endVector();
    fb.startVector(8, q.zeroPoints().size(), 8);
    for (int i = q.zeroPoints().size() - 1; i >= 0; i--) {
      fb.addLong(q.zeroPoints().get(i));
    }
    int zps = fb.endVector();
    fb.startTable(7);
    fb.addOffset(2, scales, 0);
    fb.addOffset(3, zps, 0);
    fb.addInt(6, q.quantizedDimension(), 0);
    return fb.endTable();
  }

  private int operator(Operator op, int codeIndex) {
    int inputs = intVector(op.inputs());
    int outputs = intVector(op.outputs());
    int options = options(op);
    int unionType = options == 0 ? 0 : OptionsParser.unionTypeOf(op.op());
    fb.startTable(5);
    fb.addInt(0, codeIndex, 0);
    fb.addOffset(1, inputs, 0);
    fb.addOffset(2, outputs, 0);
    if (options != 0) {
      fb.addByte(3, (byte) unionType, 0);
      fb.addOffset(4, options, 0);
    }
    return fb.endTable();
  }

  /** Writes the options table; every field is written explicitly so defaults never depend on the reader. */
  private int options(Operator op) {
    fb.forceDefaults(true);
    try {
      return optionsTable(op);
    } finally {
      fb.forceDefaults(false);
    }
  }

  private int optionsTable(Operator op) {
    OpOptions options = op.options();
    if (options instanceof OpOptions.Conv2D o) {
      return table(7, () -> {
        fb.addByte(0, (byte) o.padding().code(), 0);
        fb.addInt(1, o.strideW(), 0);
        fb.addInt(2, o.strideH(), 0);
        fb.addByte(3, (byte) o.activation().code(), 0);
        fb.addInt(4, o.dilationW(), 1);
        fb.addInt(5, o.dilationH(), 1);
      });
    }
    if (options instanceof OpOptions.DepthwiseConv2D o) {
      return table(7, () -> {
        fb.addByte(0, (byte) o.padding().code(), 0);
        fb.addInt(1, o.strideW(), 0);
        fb.addInt(2, o.strideH(), 0);
        fb.addInt(3, o.depthMultiplier(), 0);
        fb.addByte(4, (byte) o.activation().code(), 0);
        fb.addInt(5, o.dilationW(), 1);
        fb.addInt(6, o.dilationH(), 1);
      });
    }
    if (options instanceof OpOptions.Pool2D o) {
      return table(6, () -> {
        fb.addByte(0, (byte) o.padding().code(), 0);
        fb.addInt(1, o.strideW(), 0);
        fb.addInt(2, o.strideH(), 0);
        fb.addInt(3, o.filterW(), 0);
        fb.addInt(4, o.filterH(), 0);
        fb.addByte(5, (byte) o.activation().code(), 0);
      });
    }
    if (options instanceof OpOptions.Svdf o) {
      return table(2, () -> {
        fb.addInt(0, o.rank(), 0);
        fb.addByte(1, (byte) o.activation().code(), 0);
      });
    }
    if (options instanceof OpOptions.FullyConnected o) {
      return table(3, () -> {
        fb.addByte(0, (byte) o.activation().code(), 0);
        fb.addByte(1, (byte) o.weightsFormat(), 0);
        fb.addBoolean(2, o.keepNumDims(), false);
      });
    }
    if (options instanceof OpOptions.Softmax o) {
      return table(1, () -> fb.addFloat(0, o.beta(), 0));
    }
    if (options instanceof OpOptions.Concatenation o) {
      return table(2, () -> {
        fb.addInt(0, o.axis(), 0);
        fb.addByte(1, (byte) o.activation().code(), 0);
      });
    }
    if (options instanceof OpOptions.Arithmetic o) {
      return table(1, () -> fb.addByte(0, (byte) o.activation().code(), 0));
    }
    if (options instanceof OpOptions.Resize o) {
      // ResizeBilinearOptions keeps two deprecated int fields at ids 0 and 1; ResizeNearestNeighborOptions does not.
      int first = op.op() == io.tinyforge.model.BuiltinOp.RESIZE_BILINEAR ? 2 : 0;
      return table(first + 2, () -> {
        fb.addBoolean(first, o.alignCorners(), false);
        fb.addBoolean(first + 1, o.halfPixelCenters(), false);
      });
    }
    if (options instanceof OpOptions.Reshape o) {
      int shape = intVector(o.newShape());
      return table(1, () -> fb.addOffset(0, shape, 0));
    }
    if (options instanceof OpOptions.Reducer o) {
      return table(1, () -> fb.addBoolean(0, o.keepDims(), false));
    }
    if (options instanceof OpOptions.Squeeze o) {
      int dims = intVector(o.squeezeDims());
      return table(1, () -> fb.addOffset(0, dims, 0));
    }
    if (options instanceof OpOptions.StridedSlice o) {
      return table(6, () -> {
        fb.addInt(0, o.beginMask(), 0);
        fb.addInt(1, o.endMask(), 0);
        fb.addInt(2, o.ellipsisMask(), 0);
        fb.addInt(3, o.newAxisMask(), 0);
        fb.addInt(4, o.shrinkAxisMask(), 0);
        fb.addBoolean(5, o.offset(), false);
      });
    }
    if (options instanceof OpOptions.Split o) {
      return table(1, () -> fb.addInt(0, o.numSplits(), 0));
    }
    if (options instanceof OpOptions.TransposeConv o) {
      return table(4, () -> {
        fb.addByte(0, (byte) o.padding().code(), 0);
        fb.addInt(1, o.strideW(), 0);
        fb.addInt(2, o.strideH(), 0);
        fb.addByte(3, (byte) o.activation().code(), 0);
      });
    }
    if (options instanceof OpOptions.Pack o) {
      return table(2, () -> {
        fb.addInt(0, o.valuesCount(), 0);
        fb.addInt(1, o.axis(), 0);
      });
    }
    if (options instanceof OpOptions.Unpack o) {
      return table(2, () -> {
        fb.addInt(0, o.num(), 0);
        fb.addInt(1, o.axis(), 0);
      });
    }
    if (options instanceof OpOptions.BlockSize o) {
      return table(1, () -> fb.addInt(0, o.blockSize(), 0));
    }
    if (options instanceof OpOptions.LeakyRelu o) {
      return table(1, () -> fb.addFloat(0, o.alpha(), 0));
    }
    return 0;
  }

  private int table(int fields, Runnable body) {
    fb.startTable(fields);
    body.run();
    return fb.endTable();
  }
}
