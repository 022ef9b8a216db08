package io.tinyforge.sim;

import io.tinyforge.lower.KernelParams;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps each params record type to the kernel that executes it. Each kernel family registers itself in
 * {@link #standard()}; to add a family, add one line there.
 */
public final class KernelRegistry {
  private final Map<Class<?>, Kernel<?>> kernels = new HashMap<>();

  /** All kernels tinyforge has. */
  public static KernelRegistry standard() {
    KernelRegistry r = new KernelRegistry();
    ConvKernels.register(r);
    DepthwiseKernels.register(r);
    FullyConnectedKernels.register(r);
    TransposeConvKernels.register(r);
    PoolKernels.register(r);
    MeanKernels.register(r);
    CopyKernels.register(r);
    ElementwiseKernels.register(r);
    ActivationKernels.register(r);
    DataMovementKernels.register(r);
    QuantizeKernels.register(r);
    SvdfKernels.register(r);
    return r;
  }

  public <P extends KernelParams> void register(Class<P> type, Kernel<P> kernel) {
    if (kernels.putIfAbsent(type, kernel) != null) {
      throw new IllegalStateException("two kernels for " + type.getSimpleName());
    }
  }

  /** The kernel for a params record; fails if none is registered. */
  @SuppressWarnings("unchecked")
  public <P extends KernelParams> Kernel<P> kernelFor(P params) {
    Kernel<P> k = (Kernel<P>) kernels.get(params.getClass());
    if (k == null) {
      throw new IllegalStateException("no kernel registered for " + params.getClass().getSimpleName());
    }
    return k;
  }

  public boolean has(Class<? extends KernelParams> type) {
    return kernels.containsKey(type);
  }
}
