#!/usr/bin/env python3
"""Times TFLM's Python interpreter: bench_oracle.py model.tflite input.bin [runs] [warmup].

Prints median_ms=<x> for one set_input + invoke (TFLM overwrites its input, so every run sets it)."""
import statistics
import sys
import time

import numpy as np
from tflite_micro.python.tflite_micro import runtime


def main(argv):
    model, inp = argv[1], argv[2]
    runs = int(argv[3]) if len(argv) > 3 else 50
    warmup = int(argv[4]) if len(argv) > 4 else 5
    it = runtime.Interpreter.from_file(model)
    d = it.get_input_details(0)
    x = np.frombuffer(open(inp, "rb").read(), dtype=d["dtype"]).reshape(d["shape"])
    for _ in range(warmup):
        it.set_input(x, 0)
        it.invoke()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        it.set_input(x, 0)
        it.invoke()
        ms.append((time.perf_counter() - t0) * 1e3)
    print(f"runs={runs} warmup={warmup} min_ms={min(ms):.3f} median_ms={statistics.median(ms):.3f} "
          f"max_ms={max(ms):.3f}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
