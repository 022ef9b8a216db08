package io.tinyforge.lower;

import io.tinyforge.model.OpOptions;
import io.tinyforge.model.Tensor;
import java.util.Arrays;

/**
 * Prepare of DEPTH_TO_SPACE and SPACE_TO_DEPTH (TFLM depth_to_space.cc, space_to_depth.cc: 4-D NHWC, int8, block
 * size >= 1, spatial sizes divisible as the op needs). Both are a fixed permutation of raw bytes, so they lower to
 * {@link TransposeParams} over a 4-D view of the tensors and reuse the TRANSPOSE kernels of the simulator and the C
 * runtime. With block b, DEPTH_TO_SPACE writes {@code out[n][h*b+dh][w*b+dw][c] = in[n][h][w][(dh*b+dw)*C'+c]};
 * viewing the input as [N*H][W][b][b*C'] and the output as [N*H][b][W][b*C'], that is the permutation (0, 2, 1, 3).
 * SPACE_TO_DEPTH is its inverse, the same permutation from [N*H'][b][W'][b*C] to [N*H'][W'][b][b*C].
 */
final class DepthSpaceLowering {
  private DepthSpaceLowering() {}

  static TransposeParams depthToSpace(OpContext ctx) {
    Checked c = check(ctx);
    int[] d = c.inDims;
    int b = c.block;
    if (d[3] % (b * b) != 0) {
      throw ctx.fail("input depth " + d[3] + " is not a multiple of block_size^2 = " + (b * b));
    }
    int depthOut = d[3] / (b * b);
    c.requireOutput(ctx, new int[] {d[0], d[1] * b, d[2] * b, depthOut});
    return permute(c, new int[] {d[0] * d[1], d[2], b, b * depthOut});
  }

  static TransposeParams spaceToDepth(OpContext ctx) {
    Checked c = check(ctx);
    int[] d = c.inDims;
    int b = c.block;
    if (d[1] % b != 0 || d[2] % b != 0) {
      throw ctx.fail("input height " + d[1] + " and width " + d[2] + " must be multiples of block_size " + b);
    }
    c.requireOutput(ctx, new int[] {d[0], d[1] / b, d[2] / b, d[3] * b * b});
    return permute(c, new int[] {d[0] * (d[1] / b), b, d[2] / b, b * d[3]});
  }

  private record Checked(Tensor in, Tensor out, int[] inDims, int block) {
    void requireOutput(OpContext ctx, int[] expected) {
      if (!Arrays.equals(expected, OpContext.dims(out))) {
        throw ctx.fail("output shape " + out.shape() + " should be " + Arrays.toString(expected) + " for input "
            + in.shape() + " and block_size " + block);
      }
    }
  }

  private static Checked check(OpContext ctx) {
    ctx.requireInputCount(1, 1);
    Tensor in = ctx.input(0);
    Tensor out = ctx.output(0);
    ConcatLowering.sameElementType(ctx, in, out, "input");
    int[] d = OpContext.dims(in);
    if (d.length != 4) {
      throw ctx.fail("input " + in.shape() + " must be 4-D (NHWC)");
    }
    int block = ctx.op().options(OpOptions.BlockSize.class).blockSize();
    if (block < 1) {
      throw ctx.fail("block_size " + block + " must be at least 1");
    }
    return new Checked(in, out, d, block);
  }

  /** TRANSPOSE with permutation (0, 2, 1, 3) of the 4-D input view {@code view}. */
  private static TransposeParams permute(Checked c, int[] view) {
    int[] inStride = {view[1] * view[2] * view[3], view[2] * view[3], view[3], 1};
    int[] outDims = {view[0], view[2], view[1], view[3]};
    int[] strides = {inStride[0], inStride[2], inStride[1], inStride[3]};
    return new TransposeParams(c.in.index(), c.out.index(), c.in.type().bytes(), view, outDims, strides);
  }
}
