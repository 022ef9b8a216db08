#!/usr/bin/env python3
"""Batch oracle: runs .tflite models through TFLite Micro's Python interpreter (PyPI `tflite-micro`).

One process serves many models so tests do not pay interpreter start-up per model.

Usage: tflm_oracle.py JOB.json [RESULT.json]

JOB.json:
  {"jobs": [{"model": "m.tflite",
             "preserve_all_tensors": false,     # also dump intermediate tensors (kPreserveAllTensors)
             "tensors": [3, 7],                 # which tensors to dump with preserve_all_tensors (default: all)
             "arena": true,                     # measure arena_used_bytes (one extra recording interpreter)
             "runs": [{"inputs": ["in0.bin", ...], "output_dir": "out/run0"}]}]}

Each run writes output_<i>.bin (raw bytes of output i) into its output_dir and, with preserve_all_tensors,
tensors/<index>.bin. RESULT.json (or stdout) lists per job: error (or null), arena_used_bytes, and per run:
error (or null) and the files written. A failing model or run is reported, not fatal: the batch goes on.
Inputs are raw bytes of the input tensor (TFLM overwrites its input buffer, so every run sets every input).
"""

import ctypes
import json
import os
import re
import sys
import tempfile
import traceback

import numpy as np
from tflite_micro.python.tflite_micro import runtime

# Generous: small generated models can have activations far larger than their weights.
MIN_ARENA = 16 << 20


def _arena_size(model_bytes):
    return max(MIN_ARENA, len(model_bytes) * 10)


def _capture_fds(fn):
    """Runs fn() with C-level stdout/stderr captured; returns the captured text."""
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        os.dup2(tmp.fileno(), 2)
        try:
            fn()
            libc.fflush(None)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        tmp.seek(0)
        return tmp.read().decode("utf-8", "replace")


def _read_input(path, details):
    dtype = np.dtype(details["dtype"])
    shape = tuple(int(d) for d in details["shape"])
    data = open(path, "rb").read()
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(f"{path}: {len(data)} bytes, the input needs {expected}")
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def _arena_used_bytes(model_bytes, inputs_for_one_run):
    it = runtime.Interpreter.from_bytes(model_bytes, arena_size=_arena_size(model_bytes))
    for i, path in enumerate(inputs_for_one_run):
        it.set_input(_read_input(path, it.get_input_details(i)), i)
    it.invoke()
    return arena_total(it)


def arena_total(it):
    """TFLM's arena_used_bytes of an interpreter that has run, read from its allocation report (None if absent)."""
    text = _capture_fds(it.print_allocations)
    m = re.search(r"Arena allocation total (\d+) bytes", text)
    return int(m.group(1)) if m else None


def _run_job(job):
    result = {"model": job["model"], "error": None, "arena_used_bytes": None, "runs": []}
    try:
        model_bytes = open(job["model"], "rb").read()
        preserve = bool(job.get("preserve_all_tensors", False))
        config = (runtime.InterpreterConfig.kPreserveAllTensors if preserve
                  else runtime.InterpreterConfig.kAllocationRecording)
        log = []
        holder = {}

        def create():
            try:
                holder["it"] = runtime.Interpreter.from_bytes(
                    model_bytes, arena_size=_arena_size(model_bytes), intrepreter_config=config)
            except Exception as e:  # TFLM's reason is in the captured log
                holder["error"] = e

        log.append(_capture_fds(create))
        if "error" in holder:
            raise RuntimeError(f"{holder['error']}; TFLM said: {log[-1].strip()[-1500:]}")
        it = holder["it"]
        subgraph = runtime.convert_bytearray_to_object(model_bytes).subgraphs[0]
        output_count = len(subgraph.outputs)
        tensors = job.get("tensors")
        if preserve and tensors is None:
            tensors = range(len(subgraph.tensors))
        for run in job.get("runs", []):
            rr = {"error": None, "outputs": [], "tensors": {}}
            try:
                out_dir = run["output_dir"]
                os.makedirs(out_dir, exist_ok=True)
                for i, path in enumerate(run["inputs"]):
                    it.set_input(_read_input(path, it.get_input_details(i)), i)
                status = {}

                def invoke():
                    try:
                        status["rc"] = it.invoke()
                    except Exception as e:
                        status["error"] = e

                text = _capture_fds(invoke)
                if "error" in status:
                    raise RuntimeError(f"{status['error']}; TFLM said: {text.strip()[-1500:]}")
                for i in range(output_count):
                    out = it.get_output(i)
                    p = os.path.join(out_dir, f"output_{i}.bin")
                    with open(p, "wb") as f:
                        f.write(np.ascontiguousarray(out).tobytes())
                    rr["outputs"].append(p)
                if preserve:
                    tdir = os.path.join(out_dir, "tensors")
                    os.makedirs(tdir, exist_ok=True)
                    for t in tensors:
                        d = it.GetTensor(int(t), 0)
                        p = os.path.join(tdir, f"{int(t)}.bin")
                        with open(p, "wb") as f:
                            f.write(np.ascontiguousarray(d["tensor_data"]).tobytes())
                        rr["tensors"][str(int(t))] = p
                if text.strip():
                    rr["log"] = text[-2000:]
            except Exception as e:  # reported per run, the batch goes on
                rr["error"] = f"{type(e).__name__}: {e}"
            result["runs"].append(rr)
        if job.get("arena") and job.get("runs"):
            result["arena_used_bytes"] = _arena_used_bytes(model_bytes, job["runs"][0]["inputs"])
    except Exception as e:
        result["error"] = f"{type(e).__name__}: {e}"
        result["trace"] = traceback.format_exc()[-2000:]
    return result


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: tflm_oracle.py JOB.json [RESULT.json]\n")
        return 2
    job_file = json.load(open(argv[1]))
    results = {"jobs": [_run_job(j) for j in job_file["jobs"]]}
    text = json.dumps(results, indent=1)
    if len(argv) > 2:
        with open(argv[2], "w") as f:
            f.write(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
