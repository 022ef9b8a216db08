#!/usr/bin/env python3
"""Builds tinyforge's 16x8 example: a small digit CNN with int16 activations and int8 weights.

TensorFlow's converter in its 16x8 mode (EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8) quantizes
activations to int16 with zero point 0, weights to int8 and biases to int64. The data is scikit-learn's bundled
8x8 digits set (nothing is downloaded). The script trains a Keras CNN (CONV_2D, MAX_POOL_2D, DEPTHWISE_CONV_2D,
CONV_2D 1x1, RESHAPE, FULLY_CONNECTED; int16 logits out, no SOFTMAX), converts it, checks it with the TFLM oracle
and writes:

  examples/cnn16x8_digits.tflite            the model (int16 in, int16 out)
  examples/cnn16x8_samples/sample_<k>.bin   8 held-out inputs, raw int16 little-endian input-tensor bytes
  examples/cnn16x8_samples/labels.txt       file, true label, oracle label

Run:  pip install -r tools/models/requirements.txt
      python3 tools/models/make_cnn16x8_model.py [--out DIR]
"""

import argparse
import os

import digits_common as common
from digits_common import CLASS_COUNT, tf

SEED = 16808
EPOCHS = 40
BATCH_SIZE = 32
INPUT_SHAPE = (8, 8, 1)
ALLOWED_OPS = {"CONV_2D", "DEPTHWISE_CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED"}
SCRIPT = common.Script("make_cnn16x8_model")


def build_model():
    inputs = tf.keras.Input(shape=INPUT_SHAPE, batch_size=1, name="image")
    x = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = tf.keras.layers.MaxPooling2D(2, name="pool1")(x)
    x = tf.keras.layers.DepthwiseConv2D(3, padding="same", activation="relu", name="dw2")(x)
    x = tf.keras.layers.Conv2D(16, 1, activation="relu", name="pw2")(x)
    x = tf.keras.layers.Flatten(name="flatten")(x)
    outputs = tf.keras.layers.Dense(CLASS_COUNT, name="logits")(x)
    return tf.keras.Model(inputs, outputs, name="digits_cnn16x8")


def train(model, x_train, y_train):
    inputs = tf.keras.Input(shape=INPUT_SHAPE, name="image_batch")
    x = inputs
    for layer in model.layers[1:]:
        x = layer(x)
    trainer = tf.keras.Model(inputs, x)
    trainer.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.005),
                    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    trainer.fit(x_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, shuffle=True, verbose=0)
    return trainer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(common.REPO_ROOT, "examples"))
    args = parser.parse_args()
    common.seed_everything(SEED)
    x_train, x_test, y_train, y_test = common.load_split(INPUT_SHAPE, SEED)
    model = build_model()
    train(model, x_train, y_train)
    model_bytes = common.convert_16x8(model, x_train)
    common.check_model(SCRIPT, model_bytes, ALLOWED_OPS)
    common.evaluate_and_write(model_bytes, x_test, y_test, args.out, "cnn16x8")


if __name__ == "__main__":
    main()
