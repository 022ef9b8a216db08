package io.tinyforge.cgen;

import io.tinyforge.lower.ConvParams;
import io.tinyforge.lower.DepthwiseParams;
import io.tinyforge.lower.FullyConnectedParams;
import io.tinyforge.lower.KernelParams;
import io.tinyforge.memory.KernelScratch;
import io.tinyforge.model.Model;
import io.tinyforge.model.TensorType;

/**
 * The scratch of the kernels that take it from their caller, for the variant {@link OpEmitter} chooses on a core:
 * each method computes what the kernel's C function {@code <kernel>_scratch_bytes} in tfk_kernels.h computes
 * (firmware/tests checks the C functions against a table this class writes, {@code ScratchTableTest} that the
 * table is current). The planner places that many bytes per step; the emitter passes their address and size.
 */
public final class ScratchSizes {
  private ScratchSizes() {}

  /** The kernels that take scratch arguments ({@code void* scratch, size_t scratch_bytes}), even of 0 bytes. */
  static final java.util.Set<String> TAKE_SCRATCH = java.util.Set.of("tfk_conv2d_fast_s8_mve",
      "tfk_conv2d_1x1_s8_smlad", OpEmitter.DW3X3_MVE, "tfk_fc_s8_dsp");

  /** The sizes of the kernels chosen for a core (the planner's view of a board). */
  static KernelScratch of(Isa isa) {
    return new KernelScratch() {
      @Override
      public int bytes(Model model, KernelParams params) {
        return ScratchSizes.bytes(model, params, isa);
      }

      @Override
      public boolean optional(Model model, KernelParams params) {
        return ScratchSizes.optional(model, params, isa);
      }
    };
  }

  /**
   * Whether the kernel the emitter calls for {@code params} runs without its scratch too: tfk_fc_s8_dsp (with
   * none it widens its input again for every four rows; the emitter passes none when the plan placed none).
   */
  static boolean optional(Model model, KernelParams params, Isa isa) {
    return params instanceof FullyConnectedParams && bytes(model, params, isa) > 0;
  }

  /** The sizes of the kernels chosen for a core named as in board.json ("cortex-m7", "host"). */
  public static KernelScratch ofCore(String core) {
    return of(Isa.ofCore(core));
  }

  /** The sizes of the kernels chosen for a board's core. */
  public static KernelScratch of(io.tinyforge.board.Board board) {
    return of(Isa.of(board));
  }

  /** Scratch bytes of the kernel the emitter calls for {@code params} on {@code isa} (0: none). */
  static int bytes(Model model, KernelParams params, Isa isa) {
    if (params instanceof ConvParams p && !int16(model, p.input())) {
      return conv(OpEmitter.convKernel(p, isa), p);
    }
    if (params instanceof DepthwiseParams p) {
      boolean constants = model.tensor(p.filter()).isConstant()
          && (p.bias() < 0 || model.tensor(p.bias()).isConstant());
      return depthwise(OpEmitter.depthwiseKernel(p, int16(model, p.input()), constants, isa), p);
    }
    if (params instanceof FullyConnectedParams p) {
      boolean constants = model.tensor(p.filter()).isConstant()
          && (p.bias() < 0 || model.tensor(p.bias()).isConstant());
      String kernel = OpEmitter.fcKernel(isa, int16(model, p.input()), p.perChannel(), p.filterOffset(), constants);
      return kernel.equals("tfk_fc_s8_dsp") ? fcDsp(p.accumDepth(), p.outputDepth()) : 0;
    }
    return KernelScratch.CORE_INDEPENDENT.bytes(model, params);
  }

  private static boolean int16(Model model, int tensor) {
    return model.tensor(tensor).type() == TensorType.INT16;
  }

  /** Scratch of the CONV_2D kernel {@code kernel} (one of {@link OpEmitter#convKernel}'s) on this layer. */
  static int conv(String kernel, ConvParams p) {
    return switch (kernel) {
      case "tfk_conv2d_fast_s8_mve" -> convFastMve(p.inputOffset(), p.filterHeight(), p.filterWidth(),
          p.filterInputDepth(), p.outputDepth());
      case "tfk_conv2d_1x1_s8_smlad" -> conv1x1Smlad(p.inputDepth());
      default -> 0;
    };
  }

  /** Scratch of the DEPTHWISE_CONV_2D kernel {@code kernel} on this layer. */
  static int depthwise(String kernel, DepthwiseParams p) {
    return switch (kernel) {
      case OpEmitter.DW3X3_MVE -> dw3x3Mve();
      default -> 0;
    };
  }

  /** Filter windows of kh * kw * Cin bytes, or none when -inputOffset is no int8 (conv_fast_patch_bytes). */
  private static int patch(int inputOffset, int kh, int kw, int cin, int windows) {
    if (inputOffset < -127 || inputOffset > 128) {
      return 0;
    }
    return Math.toIntExact((long) windows * kh * kw * cin);
  }

  /** tfk_conv2d_fast_s8_mve: the folded bias (an int32 per output channel), then four gathered windows. */
  static int convFastMve(int inputOffset, int kh, int kw, int cin, int outDepth) {
    int windows = patch(inputOffset, kh, kw, cin, 4);
    return windows == 0 ? 0 : Math.addExact(Math.multiplyExact(outDepth, Integer.BYTES), windows);
  }

  /** tfk_conv2d_1x1_s8_smlad: a widened pixel pair (one word per input channel) when the depth is a multiple of 4. */
  static int conv1x1Smlad(int inputDepth) {
    return inputDepth % 4 == 0 ? Math.multiplyExact(inputDepth, Integer.BYTES) : 0;
  }

  /** tfk_dw_conv_3x3_s8_mve on a Helium core: none (only its plain C version, for host tests, takes a row). */
  static int dw3x3Mve() {
    return 0;
  }

  /** tfk_fc_s8_dsp: the input words widened once (two words each), for layers of eight rows or more. */
  static int fcDsp(int accumDepth, int outputDepth) {
    return outputDepth >= 8 ? Math.multiplyExact(accumDepth >> 2, 2 * Integer.BYTES) : 0;
  }
}
