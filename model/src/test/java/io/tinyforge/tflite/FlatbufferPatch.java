package io.tinyforge.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Finds fields in a flatbuffer by schema field id and patches their bytes, so a test can break exactly one thing
 * of a valid file. Positions are absolute byte offsets. Field ids are the TFLite schema's (listed below), written
 * here independently of the reader.
 */
final class FlatbufferPatch {
  // Model
  static final int MODEL_OPERATOR_CODES = 1;
  static final int MODEL_SUBGRAPHS = 2;
  static final int MODEL_BUFFERS = 4;
  // SubGraph
  static final int SUBGRAPH_TENSORS = 0;
  static final int SUBGRAPH_OPERATORS = 3;
  // Tensor
  static final int TENSOR_TYPE = 1;
  // Operator
  static final int OP_OPCODE_INDEX = 0;
  static final int OP_OPTIONS_TYPE = 3;
  static final int OP_OPTIONS = 4;
  // Buffer
  static final int BUFFER_DATA = 0;

  final byte[] bytes;
  private final ByteBuffer bb;

  FlatbufferPatch(byte[] original) {
    this.bytes = original.clone();
    this.bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  int root() {
    return bb.getInt(0);
  }

  /** Absolute position of field {@code id} of the table at {@code table}; fails when the field is absent. */
  int field(int table, int id) {
    int vtable = table - bb.getInt(table);
    int vtableSize = Short.toUnsignedInt(bb.getShort(vtable));
    int slot = 4 + 2 * id;
    int off = slot < vtableSize ? Short.toUnsignedInt(bb.getShort(vtable + slot)) : 0;
    if (off == 0) {
      throw new IllegalStateException("field " + id + " of the table at " + table + " is not stored");
    }
    return table + off;
  }

  /** Follows the uoffset stored at {@code pos}. */
  int deref(int pos) {
    return pos + bb.getInt(pos);
  }

  /** Position of the length word of the vector at field {@code id}. */
  int vector(int table, int id) {
    return deref(field(table, id));
  }

  /** Position of the uoffset slot of element {@code i} of a vector of tables. */
  int elementSlot(int vector, int i) {
    return vector + 4 + 4 * i;
  }

  int element(int vector, int i) {
    return deref(elementSlot(vector, i));
  }

  int subgraph() {
    return element(vector(root(), MODEL_SUBGRAPHS), 0);
  }

  int tensor(int i) {
    return element(vector(subgraph(), SUBGRAPH_TENSORS), i);
  }

  int operator(int i) {
    return element(vector(subgraph(), SUBGRAPH_OPERATORS), i);
  }

  int buffer(int i) {
    return element(vector(root(), MODEL_BUFFERS), i);
  }

  int getInt(int pos) {
    return bb.getInt(pos);
  }

  FlatbufferPatch putInt(int pos, int value) {
    bb.putInt(pos, value);
    return this;
  }

  FlatbufferPatch putByte(int pos, int value) {
    bytes[pos] = (byte) value;
    return this;
  }
}
