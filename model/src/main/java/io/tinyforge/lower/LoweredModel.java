package io.tinyforge.lower;

import io.tinyforge.model.Model;
import java.util.List;

/** A model whose every operator has been lowered to kernel parameters, in execution order. */
public record LoweredModel(Model model, List<LoweredOp> ops) {
  public LoweredModel {
    ops = List.copyOf(ops);
  }
}
