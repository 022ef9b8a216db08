package io.tinyforge.model;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable graph IR of one TFLite model (its single subgraph): every pass reads it, none changes it.
 *
 * @param source where the model came from (a path), used in every message about it
 * @param schemaVersion the flatbuffer's Model.version
 * @param description the converter's description string (may be empty)
 * @param tensors all tensors, indexed by {@link Tensor#index()}
 * @param operators operators in execution order
 * @param inputs tensor indices of the graph inputs
 * @param outputs tensor indices of the graph outputs
 * @param metadata named metadata buffers (read-only views), in file order
 * @param folded what {@link ConstantFolding} replaced by constants when the model was read (one line per folded op,
 *     e.g. "SHAPE (op 0 of the file) -> tensor 5 [1x4] int32"); empty when nothing was folded
 */
public record Model(String source, int schemaVersion, String description, List<Tensor> tensors,
    List<Operator> operators, List<Integer> inputs, List<Integer> outputs, Map<String, ByteBuffer> metadata,
    List<String> folded) {

  /** A model as read, with nothing folded. */
  public Model(String source, int schemaVersion, String description, List<Tensor> tensors,
      List<Operator> operators, List<Integer> inputs, List<Integer> outputs, Map<String, ByteBuffer> metadata) {
    this(source, schemaVersion, description, tensors, operators, inputs, outputs, metadata, List.of());
  }

  public Model {
    folded = List.copyOf(folded);
    tensors = List.copyOf(tensors);
    operators = List.copyOf(operators);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    metadata = orderedCopy(metadata);
  }

  /**
   * An unmodifiable copy that keeps the given order. Map.copyOf would not: its iteration order depends on a per-JVM
   * random salt, which made the writer's output (metadata order) differ between runs and between round trips.
   */
  private static Map<String, ByteBuffer> orderedCopy(Map<String, ByteBuffer> metadata) {
    Map<String, ByteBuffer> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ByteBuffer> e : metadata.entrySet()) {
      copy.put(Objects.requireNonNull(e.getKey(), "metadata name"), Objects.requireNonNull(e.getValue(), "metadata"));
    }
    return Collections.unmodifiableMap(copy);
  }

  public Tensor tensor(int index) {
    return tensors.get(index);
  }

  public Tensor input(int i) {
    return tensors.get(inputs.get(i));
  }

  public Tensor output(int i) {
    return tensors.get(outputs.get(i));
  }
}
