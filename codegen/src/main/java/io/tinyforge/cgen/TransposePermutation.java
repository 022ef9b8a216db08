package io.tinyforge.cgen;

/**
 * Recovers TRANSPOSE's permutation from its lowered form (output dims + the input stride of each output dim),
 * which is what tfk_transpose takes. Where several input dims fit (size-1 dims share strides) any choice moves the
 * same bytes.
 */
final class TransposePermutation {
  private TransposePermutation() {}

  static int[] of(int[] inputDims, int[] outputDims, int[] inputStrides) {
    int rank = inputDims.length;
    int[] stride = new int[rank];
    int s = 1;
    for (int i = rank - 1; i >= 0; i--) {
      stride[i] = s;
      s *= inputDims[i];
    }
    int[] perm = new int[outputDims.length];
    boolean[] used = new boolean[rank];
    for (int k = 0; k < outputDims.length; k++) {
      perm[k] = -1;
      for (int j = 0; j < rank && perm[k] < 0; j++) {
        if (!used[j] && inputDims[j] == outputDims[k] && (inputDims[j] == 1 || stride[j] == inputStrides[k])) {
          perm[k] = j;
          used[j] = true;
        }
      }
      if (perm[k] < 0) {
        throw new IllegalStateException("TRANSPOSE record is not a permutation of its input dims");
      }
    }
    return perm;
  }
}
