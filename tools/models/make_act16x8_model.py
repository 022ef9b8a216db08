#!/usr/bin/env python3
"""Builds tinyforge's 16x8 activation example: a digit MLP with sigmoid, tanh and softmax on int16 activations.

TensorFlow's converter in its 16x8 mode (EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8) quantizes
activations to int16 with zero point 0 and weights to int8; it gives LOGISTIC, TANH and SOFTMAX the fixed output
scale 2^-15 their int16 kernels need. The data is scikit-learn's bundled 8x8 digits set (nothing is downloaded).
The script trains a Keras MLP (RESHAPE, FULLY_CONNECTED, LOGISTIC, FULLY_CONNECTED, TANH, FULLY_CONNECTED,
SOFTMAX), converts it, checks it with the TFLM oracle and writes:

  examples/act16x8_digits.tflite            the model (int16 in, int16 probabilities out)
  examples/act16x8_samples/sample_<k>.bin   8 held-out inputs, raw int16 little-endian input-tensor bytes
  examples/act16x8_samples/labels.txt       file, true label, oracle label

Run:  pip install -r tools/models/requirements.txt
      python3 tools/models/make_act16x8_model.py [--out DIR]
"""

import argparse
import contextlib
import io
import os
import random
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["TF_DETERMINISTIC_OPS"] = "1"

SEED = 16814
EPOCHS = 60
BATCH_SIZE = 32
SAMPLE_COUNT = 8
INPUT_SHAPE = (8, 8)
CLASS_COUNT = 10
REQUIRED_OPS = {"LOGISTIC", "TANH", "SOFTMAX"}
ALLOWED_OPS = REQUIRED_OPS | {"RESHAPE", "FULLY_CONNECTED"}
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def fail(message):
    print(f"make_act16x8_model: {message}", file=sys.stderr)
    sys.exit(1)


try:
    import numpy as np
    import tensorflow as tf
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from tflite_micro.python.tflite_micro import runtime as tflm
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema
except ImportError as error:
    fail(f"missing Python package ({error.name}); install with: pip install -r tools/models/requirements.txt")


def seed_everything():
    random.seed(SEED)
    np.random.seed(SEED)
    tf.keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)


def load_split():
    digits = load_digits()
    images = (digits.images.astype(np.float32) / 16.0).reshape(-1, *INPUT_SHAPE)
    labels = digits.target.astype(np.int64)
    return train_test_split(images, labels, test_size=0.2, random_state=SEED, stratify=labels)


def layers():
    return [
        tf.keras.layers.Flatten(name="flatten"),
        tf.keras.layers.Dense(32, activation="sigmoid", name="hidden_sigmoid"),
        tf.keras.layers.Dense(16, activation="tanh", name="hidden_tanh"),
        tf.keras.layers.Dense(CLASS_COUNT, name="logits"),
        tf.keras.layers.Softmax(name="probabilities"),
    ]


def build_and_train(x_train, y_train):
    stack = layers()
    batch_in = tf.keras.Input(shape=INPUT_SHAPE, name="image_batch")
    x = batch_in
    for layer in stack:
        x = layer(x)
    trainer = tf.keras.Model(batch_in, x)
    trainer.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
                    loss=tf.keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    trainer.fit(x_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, shuffle=True, verbose=0)
    # the exported graph has batch 1, like the other examples
    single_in = tf.keras.Input(shape=INPUT_SHAPE, batch_size=1, name="image")
    x = single_in
    for layer in stack:
        x = layer(x)
    return tf.keras.Model(single_in, x, name="digits_act16x8")


def convert_16x8(model, x_train):
    def representative_data():
        for image in x_train:
            yield [image[np.newaxis, ...]]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative_data
    converter.target_spec.supported_ops = [
        tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    converter.inference_input_type = tf.int16
    converter.inference_output_type = tf.int16
    with contextlib.redirect_stdout(io.StringIO()):
        return converter.convert()


def check_model(model_bytes):
    model = tflm.convert_bytearray_to_object(bytearray(model_bytes))
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    types = {v: k for k, v in vars(schema.TensorType).items() if not k.startswith("_")}
    graph = model.subgraphs[0]
    ops = [names[tflm.get_builtin_code_from_operator_code(model.operatorCodes[op.opcodeIndex])]
           for op in graph.operators]
    print("ops (execution order):", ", ".join(ops))
    bad = sorted(set(ops) - ALLOWED_OPS)
    if bad:
        fail(f"model uses ops outside the expected list: {', '.join(bad)}")
    missing = sorted(REQUIRED_OPS - set(ops))
    if missing:
        fail(f"the converter dropped {', '.join(missing)}; the example exists to exercise them")
    for index, t in enumerate(graph.tensors):
        q = t.quantization
        scales = [] if q is None or q.scale is None else list(q.scale)
        zeros = [] if q is None or q.zeroPoint is None else list(q.zeroPoint)
        shape = [int(d) for d in t.shape] if t.shape is not None else []
        print(f"  [{index}] {types[t.type]:6s} {str(shape):12s} scales={len(scales)} "
              f"scale0={scales[0] if scales else '-'} zp0={zeros[0] if zeros else '-'}")
    for index in list(graph.inputs) + list(graph.outputs):
        if types[graph.tensors[index].type] != "INT16":
            fail(f"model I/O tensor {index} is not int16")
    return model


def quantize_input(images, scale):
    scaled = images.astype(np.float64) / scale
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return np.clip(rounded, -32768, 32767).astype(np.int16)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "examples"))
    args = parser.parse_args()
    seed_everything()
    x_train, x_test, y_train, y_test = load_split()
    model = build_and_train(x_train, y_train)
    model_bytes = convert_16x8(model, x_train)
    check_model(model_bytes)

    interpreter = tflm.Interpreter.from_bytes(model_bytes)
    details = interpreter.get_input_details(0)
    scale = float(details["quantization_parameters"]["scales"][0])
    correct = 0
    predictions = []
    for image, label in zip(x_test, y_test):
        interpreter.set_input(quantize_input(image[np.newaxis, ...], scale), 0)
        interpreter.invoke()
        predicted = int(np.argmax(interpreter.get_output(0)))
        predictions.append(predicted)
        correct += predicted == label
    print(f"TFLM int16 accuracy on {len(y_test)} held-out digits: {correct / len(y_test):.3f}")

    os.makedirs(os.path.join(args.out, "act16x8_samples"), exist_ok=True)
    with open(os.path.join(args.out, "act16x8_digits.tflite"), "wb") as f:
        f.write(model_bytes)
    lines = []
    for k in range(SAMPLE_COUNT):
        name = f"sample_{k}.bin"
        data = quantize_input(x_test[k][np.newaxis, ...], scale)
        with open(os.path.join(args.out, "act16x8_samples", name), "wb") as f:
            f.write(data.astype("<i2").tobytes())
        lines.append(f"{name} {int(y_test[k])} {predictions[k]}")
    with open(os.path.join(args.out, "act16x8_samples", "labels.txt"), "w") as f:
        f.write("# file, true label, TFLM label\n" + "\n".join(lines) + "\n")
    print(f"wrote {os.path.join(args.out, 'act16x8_digits.tflite')} ({len(model_bytes)} bytes)")


if __name__ == "__main__":
    main()
