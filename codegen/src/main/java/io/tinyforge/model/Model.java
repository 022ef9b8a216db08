package io.tinyforge.model;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

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
 * @param metadata named metadata buffers (read-only views)
 */
public record Model(String source, int schemaVersion, String description, List<Tensor> tensors,
    List<Operator> operators, List<Integer> inputs, List<Integer> outputs, Map<String, ByteBuffer> metadata) {

  public Model {
    tensors = List.copyOf(tensors);
    operators = List.copyOf(operators);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    metadata = Map.copyOf(metadata);
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
