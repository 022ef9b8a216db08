package io.tinyforge.lower;

import io.tinyforge.model.Operator;

/** One operator of the model with the kernel parameters its Prepare produced. */
public record LoweredOp(Operator operator, KernelParams params) {}
