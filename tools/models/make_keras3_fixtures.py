#!/usr/bin/env python3
"""Writes the small test fixtures of the SHAPE-folding and float-interpreter tests, made the way a new user of
the current TensorFlow (2.21, Keras 3) would make them: a functional Keras model with a free batch dimension, so
the converter writes each Flatten as SHAPE -> STRIDED_SLICE -> PACK -> RESHAPE.

  tools/models/fixtures/keras3_flatten_int8.tflite   full-integer model (int8 in/out), SHAPE sub-graph inside
  tools/models/fixtures/keras3_flatten_float.tflite  the same network in float32
  tools/models/fixtures/keras3_mixed_float.tflite    float32: conv, depthwise, 1x1, residual ADD, pools, concat,
                                                     pad, mean, resize, tanh, logistic, relu6, FC, softmax

Weights are trained briefly on scikit-learn's bundled 8x8 digits (nothing is downloaded) so the activations have
realistic ranges; exact accuracy does not matter here. The script checks that the int8 model contains SHAPE and
that TFLM (the oracle) runs every file.

Run:  pip install -r tools/models/requirements.txt
      python3 tools/models/make_keras3_fixtures.py [--out DIR]
"""

import argparse
import contextlib
import io
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["TF_DETERMINISTIC_OPS"] = "1"

SEED = 1313
HERE = os.path.dirname(os.path.abspath(__file__))

try:
    import numpy as np
    import tensorflow as tf
    from sklearn.datasets import load_digits
    from tflite_micro.python.tflite_micro import runtime as tflm
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema
except ImportError as error:
    sys.exit(f"make_keras3_fixtures: missing Python package ({error.name}); "
             f"pip install -r {os.path.relpath(os.path.join(HERE, 'requirements.txt'))}")


def digits():
    d = load_digits()
    x = (d.images.astype(np.float32) / 16.0).reshape(-1, 8, 8, 1)
    return x, d.target.astype(np.int64)


def flatten_model():
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    x = tf.keras.layers.Conv2D(6, 3, padding="same", activation="relu")(inputs)
    x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(10)(x)
    return tf.keras.Model(inputs, tf.keras.layers.Softmax()(x))


def mixed_model():
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    a = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu6")(inputs)
    b = tf.keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(a)
    b = tf.keras.layers.Conv2D(8, 1)(b)
    x = tf.keras.layers.Add()([a, b])
    p = tf.keras.layers.AveragePooling2D(2)(x)
    q = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Concatenate()([p, q])
    x = tf.keras.layers.ZeroPadding2D(1)(x)
    x = tf.keras.layers.Conv2D(12, 3, strides=2, activation="tanh")(x)
    x = tf.keras.layers.UpSampling2D(2, interpolation="bilinear")(x)
    s = tf.keras.layers.Conv2D(12, 1, activation="sigmoid")(x)
    x = tf.keras.layers.Multiply()([x, s])
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    x = tf.keras.layers.Dense(16, activation="relu")(x)
    x = tf.keras.layers.Dense(10)(x)
    return tf.keras.Model(inputs, tf.keras.layers.Softmax()(x))


def train(model, x, y, epochs):
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=64, verbose=0)


def convert(model, representative=None):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if representative is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([s[np.newaxis]] for s in representative)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()):
        return converter.convert()


def op_names(model_bytes):
    m = tflm.convert_bytearray_to_object(bytearray(model_bytes))
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    return [names[tflm.get_builtin_code_from_operator_code(m.operatorCodes[op.opcodeIndex])]
            for op in m.subgraphs[0].operators]


def check_runs(name, model_bytes, sample):
    it = tflm.Interpreter.from_bytes(model_bytes)
    d = it.get_input_details(0)
    if d["dtype"] == np.int8:
        s, z = d["quantization_parameters"]["scales"][0], d["quantization_parameters"]["zero_points"][0]
        sample = np.clip(np.round(sample / s) + z, -128, 127).astype(np.int8)
    it.set_input(sample[np.newaxis].astype(d["dtype"]), 0)
    it.invoke()
    print(f"{name}: ops {', '.join(op_names(model_bytes))}; TFLM output {np.array(it.get_output(0)).ravel()[:4]}...")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "fixtures"))
    args = ap.parse_args()
    tf.keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    x, y = digits()
    os.makedirs(args.out, exist_ok=True)

    flat = flatten_model()
    train(flat, x, y, 5)
    files = {
        "keras3_flatten_int8.tflite": convert(flat, x[:200]),
        "keras3_flatten_float.tflite": convert(flat),
    }
    if "SHAPE" not in op_names(files["keras3_flatten_int8.tflite"]):
        sys.exit("make_keras3_fixtures: the converter no longer writes SHAPE for Flatten; the fixture is pointless")
    mixed = mixed_model()
    train(mixed, x, y, 3)
    files["keras3_mixed_float.tflite"] = convert(mixed)
    for name, data in files.items():
        check_runs(name, data, x[0])
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
