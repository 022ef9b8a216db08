package io.tinyforge.sim;

import io.tinyforge.lower.KernelParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    Int16ActivationKernels.register(r);
    DataMovementKernels.register(r);
    QuantizeKernels.register(r);
    SvdfKernels.register(r);
    r.requireComplete();
    return r;
  }

  /**
   * Fails unless every kernel params record of the sealed {@link KernelParams} hierarchy has a kernel (schedule
   * steps excepted: the simulator runs the model's ops layer by layer), so that an op added to lowering but not
   * to the simulator fails the first simulation of any model, not only of a model that uses it.
   */
  void requireComplete() {
    List<String> missing = new ArrayList<>();
    for (Class<?> type : leafRecords(KernelParams.class)) {
      if (!kernels.containsKey(type)) {
        missing.add(type.getSimpleName());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("no simulator kernel for " + String.join(", ", missing));
    }
  }

  /** The records below a sealed interface, found through its permitted subtypes. */
  static List<Class<?>> leafRecords(Class<?> type) {
    List<Class<?>> out = new ArrayList<>();
    if (type.isRecord()) {
      out.add(type);
    } else if (type.isSealed()) {
      for (Class<?> sub : type.getPermittedSubclasses()) {
        out.addAll(leafRecords(sub));
      }
    }
    return out;
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
