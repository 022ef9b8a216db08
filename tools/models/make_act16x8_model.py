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
import os

import digits_common as common
from digits_common import CLASS_COUNT, tf

SEED = 16814
EPOCHS = 60
BATCH_SIZE = 32
INPUT_SHAPE = (8, 8)
REQUIRED_OPS = {"LOGISTIC", "TANH", "SOFTMAX"}
ALLOWED_OPS = REQUIRED_OPS | {"RESHAPE", "FULLY_CONNECTED"}
SCRIPT = common.Script("make_act16x8_model")


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(common.REPO_ROOT, "examples"))
    args = parser.parse_args()
    common.seed_everything(SEED)
    x_train, x_test, y_train, y_test = common.load_split(INPUT_SHAPE, SEED)
    model = build_and_train(x_train, y_train)
    model_bytes = common.convert_16x8(model, x_train)
    common.check_model(SCRIPT, model_bytes, ALLOWED_OPS, REQUIRED_OPS)
    common.evaluate_and_write(model_bytes, x_test, y_test, args.out, "act16x8")


if __name__ == "__main__":
    main()
