package io.tinyforge.tflite;

import io.tinyforge.model.Activation;
import io.tinyforge.model.BuiltinOp;
import io.tinyforge.model.ConstantFolding;
import io.tinyforge.model.Model;
import io.tinyforge.model.ModelException;
import io.tinyforge.model.Names;
import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Padding;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Shape;
import io.tinyforge.model.Tensor;
import io.tinyforge.model.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a {@code .tflite} flatbuffer into the immutable {@link Model} IR. It checks structure (identifier, offsets,
 * buffer sizes, shapes, indices); whether the model is one tinyforge compiles is {@code ModelChecker}'s job.
 * Field ids follow the TFLite schema (Model, SubGraph, Tensor, Operator, OperatorCode, Buffer, QuantizationParameters
 * and the options tables).
 */
public final class TfliteReader {
  /** Larger files are refused before reading: no MCU model comes near this. */
  public static final long MAX_FILE_BYTES = 1L << 30;

  private final String source;
  private final ByteBuffer file;

  private TfliteReader(String source, ByteBuffer file) {
    this.source = source;
    this.file = file;
  }

  public static Model read(Path path) {
    String source = path.toString();
    try {
      if (Files.isDirectory(path)) {
        throw new ModelException(source + " is a folder, not a model file; give the path of a .tflite file");
      }
      if (!Files.isRegularFile(path)) {
        throw new ModelException(source + ": no such model file; give the path of a .tflite file");
      }
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) {
        throw new ModelException(source + ": file is " + size + " bytes, larger than any MCU model (limit 1 GiB)");
      }
      return read(Files.readAllBytes(path), source);
    } catch (NoSuchFileException e) {
      throw new ModelException(source + ": no such model file; give the path of a .tflite file");
    } catch (IOException e) {
      throw new ModelException(source + ": cannot read the model file (" + e.getMessage() + ")");
    }
  }

  /**
   * Reads model bytes; {@code source} names the model in messages. The bytes are kept (constants are views of them).
   * Static shape arithmetic (SHAPE and integer ops on constants) is folded into constants: see {@link ConstantFolding}.
   */
  public static Model read(byte[] bytes, String source) {
    return ConstantFolding.fold(readUnfolded(bytes, source));
  }

  /** Reads model bytes exactly as the file has them, nothing folded (for tools that rewrite the file as it is). */
  public static Model readUnfolded(byte[] bytes, String source) {
    return new TfliteReader(source, ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer()).parse();
  }

  private ModelException error(String message) {
    return new ModelException(source + ": " + message);
  }

  private Model parse() {
    if (file.limit() < 8) {
      throw error("not a TFLite flatbuffer (only " + file.limit() + " bytes); give a .tflite file");
    }
    byte[] ident = new byte[4];
    file.get(4, ident);
    String id = new String(ident, StandardCharsets.ISO_8859_1);
    if (!id.equals("TFL3")) {
      throw error("wrong file identifier '" + printable(id) + "' (expected 'TFL3'): not a TFLite model; "
          + "export the model with the TFLite converter");
    }
    try {
      return parseModel(FlatTable.root(file, "Model"));
    } catch (FlatTable.FormatError e) {
      throw error("corrupt or truncated flatbuffer: " + e.getMessage() + "; re-export the model");
    }
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
    }
    return sb.toString();
  }

  private Model parseModel(FlatTable model) {
    int version = model.getInt(0, 0);
    String description = model.getString(3);

    int nCodes = model.vectorSize(1, 4);
    int[] opcodes = new int[nCodes];
    int[] versions = new int[nCodes];
    String[] customCodes = new String[nCodes];
    for (int i = 0; i < nCodes; i++) {
      FlatTable code = model.getTableElement(1, i, "OperatorCode " + i);
      int deprecated = code.getByte(0, 0);
      int builtin = code.getInt(3, 0);
      // Old converters fill only the deprecated 8-bit field; new ones fill both (deprecated saturates at 127).
      opcodes[i] = Math.max(deprecated, builtin);
      versions[i] = code.getInt(2, 1);
      customCodes[i] = code.getString(1);
    }

    int nBuffers = model.vectorSize(4, 4);
    List<ByteBuffer> buffers = new ArrayList<>(nBuffers);
    for (int i = 0; i < nBuffers; i++) {
      FlatTable b = model.getTableElement(4, i, "Buffer " + i);
      ByteBuffer data = b.getByteVectorView(0);
      long offset = b.getLong(1, 0);
      long size = b.getLong(2, 0);
      if ((data == null || data.limit() == 0) && offset > 1) {
        data = sliceBuffer(b, offset, size, i);
      }
      buffers.add(data == null || data.limit() == 0 ? null : data);
    }

    int nSubgraphs = model.vectorSize(2, 4);
    if (nSubgraphs == 0) {
      throw error("the model has no subgraph; re-export it with the TFLite converter");
    }
    if (nSubgraphs > 1) {
      throw error("the model has " + nSubgraphs + " subgraphs (control flow such as IF, WHILE or CALL_ONCE); "
          + "tinyforge compiles single-subgraph models: convert without control flow");
    }
    FlatTable sub = model.getTableElement(2, 0, "SubGraph 0");

    int nTensors = sub.vectorSize(0, 4);
    List<Tensor> tensors = new ArrayList<>(nTensors);
    for (int i = 0; i < nTensors; i++) {
      tensors.add(parseTensor(sub.getTableElement(0, i, "Tensor " + i), i, buffers));
    }

    int nOps = sub.vectorSize(3, 4);
    List<Operator> operators = new ArrayList<>(nOps);
    for (int opIndex = 0; opIndex < nOps; opIndex++) {
      final int i = opIndex;
      FlatTable op = sub.getTableElement(3, i, "Operator " + i);
      long codeIndex = Integer.toUnsignedLong(op.getInt(0, 0));
      if (codeIndex >= nCodes) {
        throw error("op " + i + ": opcode index " + codeIndex + " is out of range (" + nCodes + " operator codes)");
      }
      int c = (int) codeIndex;
      String label = "op " + i + " (" + BuiltinOp.nameOf(opcodes[c]) + ")";
      List<Integer> inputs = tensorList(op.getIntVector(1), nTensors, label + " input", true);
      // -1 marks an absent optional input only; every output must be a tensor (checker, stats and planner index it)
      List<Integer> outputs = tensorList(op.getIntVector(2), nTensors, label + " output", false);
      OpOptions options = OptionsParser.parse(opcodes[c], op.getUByte(3, 0), op.getTable(4, "options of op " + i),
          msg -> error("op " + i + " (" + BuiltinOp.nameOf(opcodes[c]) + "): " + msg));
      operators.add(new Operator(i, opcodes[c], versions[c], customCodes[c], inputs, outputs, options));
    }

    List<Integer> inputs = tensorList(sub.getIntVector(1), nTensors, "subgraph input", true);
    List<Integer> outputs = tensorList(sub.getIntVector(2), nTensors, "subgraph output", true);
    if (inputs.contains(-1) || outputs.contains(-1)) {
      throw error("a subgraph input or output is -1; re-export the model");
    }

    Map<String, ByteBuffer> metadata = new LinkedHashMap<>();
    int nMeta = model.vectorSize(6, 4);
    for (int i = 0; i < nMeta; i++) {
      FlatTable m = model.getTableElement(6, i, "Metadata " + i);
      String name = m.getString(0);
      long b = Integer.toUnsignedLong(m.getInt(1, 0));
      if (name != null && b < buffers.size()) {
        ByteBuffer data = buffers.get((int) b);
        metadata.put(name, data == null ? ByteBuffer.allocate(0) : data);
      }
    }
    return new Model(source, version, description == null ? "" : description, tensors, operators, inputs, outputs,
        metadata);
  }

  private ByteBuffer sliceBuffer(FlatTable b, long offset, long size, int index) {
    try {
      return b.sliceAt(offset, size, "Buffer " + index);
    } catch (FlatTable.FormatError e) {
      throw error("buffer " + index + " points outside the file (offset " + offset + ", size " + size
          + "); the file is truncated: re-export the model");
    }
  }

  private List<Integer> tensorList(int[] indices, int nTensors, String what, boolean absentAllowed) {
    List<Integer> out = new ArrayList<>();
    if (indices == null) {
      return out;
    }
    for (int t : indices) {
      if (t == -1 && !absentAllowed) {
        throw error(what + " is -1 (no tensor); every op output must be a tensor: re-export the model");
      }
      if (t < -1 || t >= nTensors) {
        throw error(what + " names tensor " + t + ", but the model has " + nTensors + " tensors");
      }
      out.add(t);
    }
    return out;
  }

  private Tensor parseTensor(FlatTable t, int index, List<ByteBuffer> buffers) {
    String name = t.getString(3);
    String label = "tensor " + index + (name == null || name.isEmpty() ? "" : " '" + Names.printable(name) + "'");
    int typeCode = t.getByte(1, 0);
    TensorType type = TensorType.fromCode(typeCode);
    if (type == null) {
      throw error(label + " has unknown element type code " + typeCode);
    }
    int[] dims = t.getIntVector(0);
    if (dims == null) {
      dims = new int[0];
    }
    if (dims.length > 8) {
      throw error(label + " has rank " + dims.length + "; tinyforge handles tensors of rank 8 or less");
    }
    long elements = 1;
    for (int d : dims) {
      if (d < 0) {
        throw error(label + " has a negative or dynamic dimension (" + d + "); give the model fixed shapes");
      }
      elements *= d;
      if (elements * Math.max(1, type.bytes()) > Integer.MAX_VALUE) {
        throw error(label + " is too large: its shape's element count overflows");
      }
    }
    // shape_signature (field 7) marks dimensions left dynamic at export, typically batch -1; like TFLM, tinyforge
    // compiles for the concrete `shape`, so the signature is not read.
    long bufferIndex = Integer.toUnsignedLong(t.getInt(2, 0));
    if (bufferIndex >= buffers.size() && !(bufferIndex == 0 && buffers.isEmpty())) {
      throw error(label + " names buffer " + bufferIndex + ", but the model has " + buffers.size() + " buffers");
    }
    ByteBuffer data = buffers.isEmpty() ? null : buffers.get((int) bufferIndex);
    long needed = elements * type.bytes();
    if (data != null && type.bytes() > 0 && data.limit() < needed) {
      throw error(label + " needs " + needed + " bytes but its buffer " + bufferIndex + " holds " + data.limit()
          + "; the file is truncated or corrupt: re-export the model");
    }
    if (data != null && type.bytes() > 0) {
      data = data.duplicate().limit((int) needed).slice();
    }
    Quantization q = null;
    FlatTable qp = t.getTable(4, label + " quantization");
    if (qp != null) {
      float[] scales = qp.getFloatVector(2);
      long[] zps = qp.getLongVector(3);
      if (scales != null && scales.length > 0) {
        List<Float> s = new ArrayList<>(scales.length);
        for (float f : scales) {
          s.add(f);
        }
        List<Long> z = new ArrayList<>();
        if (zps != null) {
          for (long v : zps) {
            z.add(v);
          }
        }
        q = new Quantization(s, z, qp.getInt(6, 0));
      }
    }
    return new Tensor(index, name == null ? "" : name, type, new Shape(dims), q, data, t.getBool(5, false));
  }
}
