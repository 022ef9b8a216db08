package io.tinyforge.lower;

/**
 * A step that a schedule adds beyond the model's own operators (codegen's patch stages, which run several ops band
 * by band). Not sealed: such steps are defined where the schedule is made; lowering never produces one.
 */
public non-sealed interface StageParams extends KernelParams {
  @Override
  default <R> R accept(Visitor<R> visitor) {
    return visitor.visit(this);
  }
}
