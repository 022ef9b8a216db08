#!/usr/bin/env python3
"""Measures the sigmoid table of TFLM's int16 LOGISTIC / TANH from the oracle.

The 256 entries are sigmoid(i / 24) in Q0.16, each nudged by up to one unit
from the rounded value, so no formula reproduces them.  tinyforge holds the
measured values (Int16Luts.SIGMOID in the model module); this script shows
where they come from and checks them against the installed tflite_micro:

  TANH with input scale 1/48 puts input i exactly on entry i of the grid (no
  interpolation), and its output there is entry - 32768;  TANH with input
  scale 2/12288 and input 32639 interpolates segment 254 at 254/256, which
  pins the last entry.

Usage: measure_sigmoid_table.py            prints the table, 16 per line
       measure_sigmoid_table.py --check F  compares with the Java source F
Exit status 0 on success, 1 when --check finds a difference.
"""

import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_model import ModelBuilder, fb, run_oracle  # noqa: E402


def tanh16(scale, inputs):
    b = ModelBuilder()
    n = len(inputs)
    ti = b.tensor([1, n], np.int16, scale, 0)
    to = b.tensor([1, n], np.int16, 1 / 32768, 0)
    b.operator(fb.BuiltinOperator.TANH, [ti], [to])
    x = np.array(inputs, dtype=np.int16).reshape(1, n)
    return [int(v) for v in run_oracle(b.build([ti], [to]), [x]).reshape(-1)]


def measure():
    table = [v + 32768 for v in tanh16(1 / 48, list(range(255)))]
    out = tanh16(2 / 12288, [32639])[0]
    # out = entry254 - 32768 + floor((254 * slope + 128) / 256): find the slope
    slopes = [d for d in range(0, 64)
              if ((table[254] << 8) + 254 * d - (1 << 23) + 128) >> 8 == out]
    if len(slopes) != 1:
        raise SystemExit("measure_sigmoid_table: last entry not determined: %r" % slopes)
    table.append(table[254] + slopes[0])
    return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", metavar="JAVA_FILE")
    args = ap.parse_args()
    table = measure()
    if args.check:
        src = open(args.check).read()
        body = re.search(r"SIGMOID = \{([^}]*)\}", src).group(1)
        java = [int(v) for v in re.findall(r"\d+", body)]
        if java != table:
            diff = [i for i in range(max(len(java), len(table)))
                    if i >= len(java) or i >= len(table) or java[i] != table[i]]
            print("sigmoid table differs at entries %s" % diff[:10])
            return 1
        print("sigmoid table: 256 entries match TFLM")
        return 0
    for i in range(0, 256, 16):
        print(", ".join(str(v) for v in table[i:i + 16]) + ",")
    return 0


if __name__ == "__main__":
    sys.exit(main())
