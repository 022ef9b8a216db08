#!/usr/bin/env python3
"""Builds the float examples of `gen-firmware quantize` and TensorFlow's own int8 conversion to compare with.

Data: scikit-learn's bundled 8x8 digits (nothing is downloaded), pixels scaled to [0, 1]. Two float models are
trained with Keras 3 (free batch dimension, as a user writes them, so each Flatten becomes a SHAPE sub-graph):

  examples/digits_float.tflite         LeNet-style CNN: conv, depthwise, 1x1 conv, residual ADD, max pool,
                                       Flatten, dense, softmax
  examples/digits_mlp_float.tflite     MLP with TANH hidden layers and softmax
  examples/digits_calibration.npy      200 training images, float32 [200, 8, 8, 1] (the calibration set)
  examples/digits_test_x.npy           held-out images, float32 [N, 8, 8, 1]
  examples/digits_test_y.npy           their labels, int64 [N]
  examples/digits_outlier_calibration.npy   the same 200 images, 2 of them (1%) multiplied by 40 as a glitching
                                       sensor would give: outlier activations for comparing calibration methods

For each float model the script also converts it with TensorFlow's converter (full-integer, int8 I/O) from the same
200 calibration images and prints the held-out top-1 accuracy of the float model and of that int8 model run by TFLM (and of the converter's
int8 model calibrated on the outlier set)
(the numbers the README's quantize table puts next to tinyforge's). `--converter-out DIR` also writes those int8
models (not committed).

Run:  pip install -r tools/models/requirements.txt
      python3 tools/models/make_float_digits.py [--out DIR] [--converter-out DIR]
"""

import argparse
import contextlib
import io
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["TF_DETERMINISTIC_OPS"] = "1"

SEED = 4242
CALIBRATION = 200
OUTLIERS = 2
OUTLIER_GAIN = 40.0
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

try:
    import numpy as np
    import tensorflow as tf
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from tflite_micro.python.tflite_micro import runtime as tflm
except ImportError as error:
    sys.exit(f"make_float_digits: missing Python package ({error.name}); "
             f"pip install -r {os.path.relpath(os.path.join(HERE, 'requirements.txt'))}")


def data():
    d = load_digits()
    x = (d.images.astype(np.float32) / 16.0).reshape(-1, 8, 8, 1)
    return train_test_split(x, d.target.astype(np.int64), test_size=0.2, random_state=SEED, stratify=d.target)


def lenet():
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    y = tf.keras.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
    y = tf.keras.layers.Conv2D(16, 1)(y)
    x = tf.keras.layers.ReLU()(tf.keras.layers.Add()([x, y]))
    x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Conv2D(24, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(10)(x)
    return tf.keras.Model(inputs, tf.keras.layers.Softmax()(x), name="digits_lenet_float")


def mlp():
    inputs = tf.keras.Input(shape=(8, 8, 1), name="image")
    x = tf.keras.layers.Flatten()(inputs)
    x = tf.keras.layers.Dense(48, activation="tanh")(x)
    x = tf.keras.layers.Dense(24, activation="tanh")(x)
    x = tf.keras.layers.Dense(10)(x)
    return tf.keras.Model(inputs, tf.keras.layers.Softmax()(x), name="digits_mlp_float")


def train(model, x, y, epochs):
    model.compile(optimizer=tf.keras.optimizers.Adam(0.005), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, shuffle=True)


def convert(model, calibration=None):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if calibration is not None:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: ([s[np.newaxis]] for s in calibration)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()):
        return converter.convert()


def tflm_top1(model_bytes, x, y):
    it = tflm.Interpreter.from_bytes(model_bytes)
    d = it.get_input_details(0)
    right = 0
    for image, label in zip(x, y):
        s = image[np.newaxis]
        if d["dtype"] == np.int8:
            scale = d["quantization_parameters"]["scales"][0]
            zp = d["quantization_parameters"]["zero_points"][0]
            # TFLite's QUANTIZE: divide in float, round half away from zero
            q = s.astype(np.float32) / np.float32(scale)
            s = np.clip(np.sign(q) * np.floor(np.abs(q) + 0.5) + zp, -128, 127).astype(np.int8)
        it.set_input(s, 0)
        it.invoke()
        right += int(np.argmax(np.array(it.get_output(0))) == label)
    return right / len(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(REPO, "examples"))
    ap.add_argument("--converter-out", default=None)
    args = ap.parse_args()
    tf.keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    x_train, x_test, y_train, y_test = data()
    calibration = x_train[:CALIBRATION]
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "digits_calibration.npy"), calibration)
    np.save(os.path.join(args.out, "digits_test_x.npy"), x_test)
    np.save(os.path.join(args.out, "digits_test_y.npy"), y_test)
    outliers = calibration.copy()
    rng = np.random.default_rng(SEED)
    outliers[rng.choice(CALIBRATION, OUTLIERS, replace=False)] *= OUTLIER_GAIN
    np.save(os.path.join(args.out, "digits_outlier_calibration.npy"), outliers)
    print(f"data: {len(x_train)} train, {len(x_test)} held-out, {CALIBRATION} calibration images")

    for name, build, epochs in (("digits_float", lenet, 40), ("digits_mlp_float", mlp, 60)):
        model = build()
        train(model, x_train, y_train, epochs)
        float_bytes = convert(model)
        with open(os.path.join(args.out, name + ".tflite"), "wb") as f:
            f.write(float_bytes)
        int8_bytes = convert(model, calibration)
        if args.converter_out:
            os.makedirs(args.converter_out, exist_ok=True)
            with open(os.path.join(args.converter_out, name.replace("_float", "_tf_int8") + ".tflite"), "wb") as f:
                f.write(int8_bytes)
        print(f"{name}: float {len(float_bytes)} bytes, top-1 {100 * tflm_top1(float_bytes, x_test, y_test):.2f}%; "
              f"TensorFlow converter int8 {len(int8_bytes)} bytes, top-1 (TFLM) "
              f"{100 * tflm_top1(int8_bytes, x_test, y_test):.2f}%; from the outlier calibration "
              f"{100 * tflm_top1(convert(model, outliers), x_test, y_test):.2f}%")


if __name__ == "__main__":
    main()
