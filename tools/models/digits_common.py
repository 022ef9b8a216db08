"""What tinyforge's digit example scripts share (make_digits_model.py, make_act16x8_model.py,
make_cnn16x8_model.py).

Each trains a Keras model on scikit-learn's bundled 8x8 digits set with its own model, seed and training, converts
it, checks it with the TFLM oracle and writes the model with held-out samples. This module holds the deterministic
set-up and the data split for all three, and for the two 16x8 scripts (TensorFlow's converter in its 16x8 mode,
EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8: int16 activations with zero point 0, int8 weights)
the conversion, the check and the writing. Import it before anything imports TensorFlow: it sets the environment
that makes training deterministic.
"""

import contextlib
import io
import os
import random
import sys

# Before TensorFlow is imported: quiet logs, no oneDNN (its float results depend on the CPU's instruction set),
# deterministic kernels.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["TF_DETERMINISTIC_OPS"] = "1"

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE_COUNT = 8
CLASS_COUNT = 10


class Script:
    """The messages of one script: failures name it and exit 1."""

    def __init__(self, name):
        self.name = name

    def fail(self, message):
        print(f"{self.name}: {message}", file=sys.stderr)
        sys.exit(1)


try:
    import numpy as np
    import tensorflow as tf
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from tflite_micro.python.tflite_micro import runtime as tflm
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema
except ImportError as error:
    Script(os.path.basename(sys.argv[0])).fail(
        f"missing Python package ({error.name}); install with: pip install -r tools/models/requirements.txt")


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    # One thread: float reductions then always run in the same order.
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)


def load_split(input_shape, seed):
    """(x_train, x_test, y_train, y_test): pixels scaled to [0, 1], 20% held out, stratified."""
    digits = load_digits()
    images = (digits.images.astype(np.float32) / 16.0).reshape(-1, *input_shape)
    labels = digits.target.astype(np.int64)
    return train_test_split(images, labels, test_size=0.2, random_state=seed, stratify=labels)


def converter(model, x_train, ops_set, io_type):
    """A full-integer converter for the model: every training image as representative data, one at a time (the
    batch is fixed at 1), ops_set as its only op set, io_type in and out."""
    def representative_data():
        for image in x_train:
            yield [image[np.newaxis, ...]]

    c = tf.lite.TFLiteConverter.from_keras_model(model)
    c.optimizations = [tf.lite.Optimize.DEFAULT]
    c.representative_dataset = representative_data
    c.target_spec.supported_ops = [ops_set]
    c.inference_input_type = io_type
    c.inference_output_type = io_type
    return c


def convert(c):
    """The converted model's bytes. The Keras export prints a temp-folder banner on stdout; keep the report clean."""
    with contextlib.redirect_stdout(io.StringIO()):
        return c.convert()


def convert_16x8(model, x_train):
    """The model in 16x8 mode, int16 in and out."""
    return convert(converter(model, x_train,
                             tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8, tf.int16))


def check_model(script, model_bytes, allowed_ops, required_ops=frozenset()):
    """Prints the ops and tensors; fails on an op outside allowed_ops, a missing required op or non-int16 I/O."""
    model = tflm.convert_bytearray_to_object(bytearray(model_bytes))
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    types = {v: k for k, v in vars(schema.TensorType).items() if not k.startswith("_")}
    graph = model.subgraphs[0]
    ops = [names[tflm.get_builtin_code_from_operator_code(model.operatorCodes[op.opcodeIndex])]
           for op in graph.operators]
    print("ops (execution order):", ", ".join(ops))
    bad = sorted(set(ops) - set(allowed_ops))
    if bad:
        script.fail(f"model uses ops outside the expected list: {', '.join(bad)}")
    missing = sorted(set(required_ops) - set(ops))
    if missing:
        script.fail(f"the converter dropped {', '.join(missing)}; the example exists to exercise them")
    for index, t in enumerate(graph.tensors):
        q = t.quantization
        scales = [] if q is None or q.scale is None else list(q.scale)
        zeros = [] if q is None or q.zeroPoint is None else list(q.zeroPoint)
        shape = [int(d) for d in t.shape] if t.shape is not None else []
        print(f"  [{index}] {types[t.type]:6s} {str(shape):16s} scales={len(scales)} "
              f"scale0={scales[0] if scales else '-'} zp0={zeros[0] if zeros else '-'}")
    for index in list(graph.inputs) + list(graph.outputs):
        if types[graph.tensors[index].type] != "INT16":
            script.fail(f"model I/O tensor {index} is not int16")


def quantize_input(images, scale):
    """int16 with zero point 0, rounded half away from zero as TFLite's Quantize kernel rounds."""
    scaled = images.astype(np.float64) / scale
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return np.clip(rounded, -32768, 32767).astype(np.int16)


def evaluate_and_write(model_bytes, x_test, y_test, out_dir, stem):
    """Runs the held-out digits through the TFLM oracle, prints its accuracy and writes <stem>_digits.tflite
    and <stem>_samples/ (sample_<k>.bin as raw int16 little-endian input bytes, labels.txt) into out_dir."""
    interpreter = tflm.Interpreter.from_bytes(model_bytes)
    scale = float(interpreter.get_input_details(0)["quantization_parameters"]["scales"][0])
    predictions = []
    for image in x_test:
        interpreter.set_input(quantize_input(image[np.newaxis, ...], scale), 0)
        interpreter.invoke()
        predictions.append(int(np.argmax(interpreter.get_output(0))))
    correct = sum(int(p == label) for p, label in zip(predictions, y_test))
    print(f"TFLM int16 accuracy on {len(y_test)} held-out digits: {correct / len(y_test):.3f}")

    sample_dir = os.path.join(out_dir, f"{stem}_samples")
    model_path = os.path.join(out_dir, f"{stem}_digits.tflite")
    os.makedirs(sample_dir, exist_ok=True)
    with open(model_path, "wb") as f:
        f.write(model_bytes)
    lines = []
    for k in range(SAMPLE_COUNT):
        name = f"sample_{k}.bin"
        data = quantize_input(x_test[k][np.newaxis, ...], scale)
        with open(os.path.join(sample_dir, name), "wb") as f:
            f.write(data.astype("<i2").tobytes())
        lines.append(f"{name} {int(y_test[k])} {predictions[k]}")
    with open(os.path.join(sample_dir, "labels.txt"), "w") as f:
        f.write("# file, true label, TFLM label\n" + "\n".join(lines) + "\n")
    print(f"wrote {model_path} ({len(model_bytes)} bytes)")
