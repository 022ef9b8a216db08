#!/usr/bin/env python3
"""Prints TFLite Micro's arena_used_bytes for each model given: one line "<bytes> <model>" each.

The figure comes from TFLM's own allocator (PyPI `tflite-micro`, the same package as the oracle), measured after
one Invoke on an all-zero input. It is the host build of TFLM, so pointer-sized bookkeeping is 64-bit.
Exit 3 when tflite-micro is missing, 1 when a model cannot be measured.
"""

import sys

try:
    import numpy as np
    import tflm_oracle
except ImportError as e:  # tflm_oracle imports tflite_micro
    print(f"tflm_arena: the TFLM oracle is not installed ({e}); run tools/setup", file=sys.stderr)
    sys.exit(3)


def arena_used_bytes(path):
    with open(path, "rb") as f:
        model_bytes = f.read()
    it = tflm_oracle.runtime.Interpreter.from_bytes(model_bytes, arena_size=tflm_oracle._arena_size(model_bytes))
    inputs = []

    def probe():  # the interpreter has no input count: ask until it refuses (its complaint is swallowed)
        while True:
            try:
                inputs.append(it.get_input_details(len(inputs)))
            except Exception:
                return

    tflm_oracle._capture_fds(probe)
    for i, details in enumerate(inputs):
        it.set_input(np.zeros(tuple(int(d) for d in details["shape"]), dtype=details["dtype"]), i)
    it.invoke()
    total = tflm_oracle.arena_total(it)
    if total is None:
        raise RuntimeError("TFLM printed no arena total")
    return total


def main(argv):
    failed = False
    for path in argv[1:]:
        try:
            print(f"{arena_used_bytes(path)} {path}", flush=True)
        except Exception as e:  # report and go on with the next model
            print(f"tflm_arena: {path}: {e}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
