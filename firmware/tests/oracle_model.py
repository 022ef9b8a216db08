"""Builds single-operator .tflite models and runs them in the TFLM oracle.

The flatbuffer classes come from the schema module shipped inside the
installed tflite_micro package (never copied into this repository).
"""

import flatbuffers
import numpy as np

try:
    from tflite_micro.python.tflite_micro import runtime
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as fb
except ImportError as exc:  # pragma: no cover - environment problem
    raise SystemExit(
        "oracle_model: the tflite_micro package is missing; install it with "
        "`pip install tflite-micro` (" + str(exc) + ")")

_TENSOR_TYPES = {
    np.dtype(np.int8): fb.TensorType.INT8,
    np.dtype(np.int16): fb.TensorType.INT16,
    np.dtype(np.int32): fb.TensorType.INT32,
    np.dtype(np.float32): fb.TensorType.FLOAT32,
}


class ModelBuilder:
    """Collects tensors and operators of one subgraph and packs a TFL3 model."""

    def __init__(self):
        self._tensors = []
        self._buffers = [fb.BufferT()]  # buffer 0 is the conventional empty one
        self._operators = []
        self._opcodes = []

    def tensor(self, shape, dtype, scale=None, zero_point=None, data=None,
               quantized_dimension=0):
        """Adds a tensor; `data` makes it a constant.  Returns its index."""
        t = fb.TensorT()
        t.shape = [int(d) for d in shape]
        t.type = _TENSOR_TYPES[np.dtype(dtype)]
        t.name = "t%d" % len(self._tensors)
        if scale is not None:
            q = fb.QuantizationParametersT()
            q.scale = [float(s) for s in np.atleast_1d(scale)]
            zps = zero_point if zero_point is not None else 0
            q.zeroPoint = [int(z) for z in np.atleast_1d(zps)]
            if len(q.zeroPoint) == 1 and len(q.scale) > 1:
                q.zeroPoint = q.zeroPoint * len(q.scale)
            q.quantizedDimension = quantized_dimension
            t.quantization = q
        if data is not None:
            buf = fb.BufferT()
            raw = np.ascontiguousarray(np.asarray(data, dtype=dtype)).tobytes()
            buf.data = np.frombuffer(raw, dtype=np.uint8).copy()
            self._buffers.append(buf)
            t.buffer = len(self._buffers) - 1
        else:
            t.buffer = 0
        self._tensors.append(t)
        return len(self._tensors) - 1

    def operator(self, builtin_code, inputs, outputs, options_type=0, options=None):
        if builtin_code not in self._opcodes:
            self._opcodes.append(builtin_code)
        op = fb.OperatorT()
        op.opcodeIndex = self._opcodes.index(builtin_code)
        op.inputs = list(inputs)
        op.outputs = list(outputs)
        op.builtinOptionsType = options_type
        op.builtinOptions = options
        self._operators.append(op)

    def build(self, inputs, outputs):
        sg = fb.SubGraphT()
        sg.tensors = self._tensors
        sg.inputs = list(inputs)
        sg.outputs = list(outputs)
        sg.operators = self._operators
        sg.name = "main"
        model = fb.ModelT()
        model.version = 3
        model.description = "tinyforge oracle_check"
        model.subgraphs = [sg]
        model.buffers = self._buffers
        codes = []
        for code in self._opcodes:
            oc = fb.OperatorCodeT()
            oc.builtinCode = code
            oc.deprecatedBuiltinCode = min(code, 127)
            oc.version = 1
            codes.append(oc)
        model.operatorCodes = codes
        b = flatbuffers.Builder(1024)
        b.Finish(model.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())


def run_oracle(model_bytes, inputs, num_outputs=1):
    """Runs the model in TFLM's Python interpreter.  Returns output 0, or the
    list of the first num_outputs outputs when num_outputs > 1."""
    interp = runtime.Interpreter.from_bytes(model_bytes, arena_size=1 << 20)
    for i, x in enumerate(inputs):
        interp.set_input(x, i)
    interp.invoke()
    if num_outputs == 1:
        return np.array(interp.get_output(0))
    return [np.array(interp.get_output(i)) for i in range(num_outputs)]
