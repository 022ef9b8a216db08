package io.tinyforge.quantize;

/**
 * Union-find over tensor indices: tensors that int8 kernels require to share one scale and zero point (the inputs
 * and output of pooling, reshapes, concatenation, padding, slicing, resizes, MAXIMUM/MINIMUM) end up in one group.
 */
final class TensorGroups {
  private final int[] parent;

  TensorGroups(int tensors) {
    parent = new int[tensors];
    for (int i = 0; i < tensors; i++) {
      parent[i] = i;
    }
  }

  int find(int t) {
    while (parent[t] != t) {
      parent[t] = parent[parent[t]];
      t = parent[t];
    }
    return t;
  }

  void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
