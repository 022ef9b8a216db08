#!/usr/bin/env python3
"""Builds tinyforge's bundled default model: an int8 LeNet-style digit classifier.

The data is scikit-learn's bundled 8x8 digits set (it ships inside the package, so
nothing is downloaded). The script trains a small Keras CNN, converts it with the
TFLite converter using full-integer post-training quantization (int8 in, int8 out,
no QUANTIZE/DEQUANTIZE at the boundary), checks it with the TFLM oracle and writes:

  examples/digits_int8.tflite          the model
  examples/digits_samples/sample_<k>.bin  8 held-out inputs, raw int8 input-tensor bytes
  examples/digits_samples/labels.txt   file, true label, oracle label, oracle int8 outputs

Run:  pip install -r tools/models/requirements.txt
      python3 tools/models/make_digits_model.py [--out DIR]
"""

import argparse
import os

import digits_common as common
from digits_common import np, tf, tflm, schema

SEED = 20241
EPOCHS = 60
BATCH_SIZE = 32
LABEL_SMOOTHING = 0.1
SAMPLE_COUNT = 8
INPUT_SHAPE = (8, 8, 1)
CLASS_COUNT = 10
# The ops the tinyforge compiler supports; the model must use nothing else.
ALLOWED_OPS = {
    "CONV_2D", "DEPTHWISE_CONV_2D", "MAX_POOL_2D", "AVERAGE_POOL_2D",
    "FULLY_CONNECTED", "RESHAPE", "SOFTMAX", "ADD",
}

REPO_ROOT = common.REPO_ROOT
fail = common.Script("make_digits_model").fail


def seed_everything():
    common.seed_everything(SEED)


def load_split():
    """Returns (x_train, x_test, y_train, y_test); x in [0, 1], shape N x 8 x 8 x 1, 20% held out."""
    return common.load_split(INPUT_SHAPE, SEED)


def build_model():
    # Batch fixed at 1 so the converted graph has static shapes (no SHAPE/PACK ops
    # around the flatten) and the RESHAPE is a plain constant-shape reshape.
    inputs = tf.keras.Input(shape=INPUT_SHAPE, batch_size=1, name="image")
    x = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1")(inputs)
    x = tf.keras.layers.MaxPooling2D(2, name="pool1")(x)
    x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="conv2")(x)
    x = tf.keras.layers.Flatten(name="flatten")(x)
    x = tf.keras.layers.Dense(CLASS_COUNT, name="logits")(x)
    outputs = tf.keras.layers.Softmax(name="probs")(x)
    return tf.keras.Model(inputs, outputs, name="digits_lenet")


def build_training_model(model):
    # Training runs with a free batch size; it shares the layers (and so the
    # weights) of the batch-1 model that gets converted.
    inputs = tf.keras.Input(shape=INPUT_SHAPE, name="image_batch")
    x = inputs
    for layer in model.layers[1:]:
        x = layer(x)
    return tf.keras.Model(inputs, x, name="digits_lenet_train")


def train(model, x_train, y_train):
    trainer = build_training_model(model)
    # Label smoothing keeps the softmax off its rails: with hard labels almost every
    # int8 output is exactly one-hot (127 / -128), which makes the golden vectors
    # weak checks of the integer arithmetic.
    loss = tf.keras.losses.CategoricalCrossentropy(label_smoothing=LABEL_SMOOTHING)
    trainer.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.005),
                    loss=loss, metrics=["accuracy"])
    one_hot = np.eye(CLASS_COUNT, dtype=np.float32)[y_train]
    trainer.fit(x_train, one_hot, epochs=EPOCHS, batch_size=BATCH_SIZE,
                shuffle=True, verbose=0)
    return trainer


def float_accuracy(trainer, x_test, y_test):
    probs = trainer.predict(x_test, batch_size=BATCH_SIZE, verbose=0)
    return float(np.mean(np.argmax(probs, axis=1) == y_test))


def convert_int8(model, x_train, dense_per_tensor):
    converter = common.converter(model, x_train, tf.lite.OpsSet.TFLITE_BUILTINS_INT8, tf.int8)
    # Conv weights are always per-channel; FULLY_CONNECTED weights are per-channel by
    # the converter's default, per-tensor only on request (--dense-per-tensor).
    converter._experimental_disable_per_channel_quantization_for_dense_layers = dense_per_tensor
    return common.convert(converter)


def describe_ops(model_bytes):
    """Returns the model's operators in execution order as builtin op names."""
    model = tflm.convert_bytearray_to_object(bytearray(model_bytes))
    names = {value: name for name, value in vars(schema.BuiltinOperator).items()
             if not name.startswith("_")}
    ops = []
    for subgraph in model.subgraphs:
        for op in subgraph.operators:
            code = tflm.get_builtin_code_from_operator_code(model.operatorCodes[op.opcodeIndex])
            ops.append(names.get(code, f"UNKNOWN({code})"))
    return model, ops


def tensor_type_names():
    return {value: name for name, value in vars(schema.TensorType).items()
            if not name.startswith("_")}


def check_model(model_bytes):
    """Prints the op list and tensor types; fails if anything is outside the allowed set."""
    model, ops = describe_ops(model_bytes)
    if len(model.subgraphs) != 1:
        fail(f"model has {len(model.subgraphs)} subgraphs, expected 1")
    print("ops (execution order):", ", ".join(ops))
    bad = sorted(set(ops) - ALLOWED_OPS)
    if bad:
        fail(f"model uses ops outside the supported list: {', '.join(bad)}")

    types = tensor_type_names()
    graph = model.subgraphs[0]
    print("tensors:")
    for index, tensor in enumerate(graph.tensors):
        quant = tensor.quantization
        scales = [] if quant is None or quant.scale is None else list(quant.scale)
        zeros = [] if quant is None or quant.zeroPoint is None else list(quant.zeroPoint)
        name = tensor.name.decode() if isinstance(tensor.name, bytes) else tensor.name
        kind = "per-channel" if len(scales) > 1 else "per-tensor"
        type_name = types[tensor.type]
        shape = [int(d) for d in tensor.shape] if tensor.shape is not None else []
        print(f"  [{index}] {type_name:6s} {str(shape):16s} {kind:11s} "
              f"scales={len(scales)} zp0={zeros[0] if zeros else '-'}  {name}")
        # RESHAPE's shape operand is an int32 constant; everything else int8 or int32 bias.
        if type_name not in ("INT8", "INT32"):
            fail(f"tensor {index} ({name}) has type {type_name}, expected INT8 or INT32")
    for role, indices in (("input", graph.inputs), ("output", graph.outputs)):
        for index in indices:
            if types[graph.tensors[index].type] != "INT8":
                fail(f"model {role} tensor {index} is not int8")


def quantize_input(images, scale, zero_point):
    # q = clamp(round(x / scale) + zero_point), computed in float64 and rounded half
    # away from zero, as TFLite's own Quantize kernel rounds.
    scaled = images.astype(np.float64) / scale
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return np.clip(rounded + zero_point, -128, 127).astype(np.int8)


def io_quantization(interpreter):
    details_in = interpreter.get_input_details(0)
    details_out = interpreter.get_output_details(0)
    q_in = details_in["quantization_parameters"]
    q_out = details_out["quantization_parameters"]
    return (details_in, float(q_in["scales"][0]), int(q_in["zero_points"][0]),
            details_out, float(q_out["scales"][0]), int(q_out["zero_points"][0]))


def run_oracle(interpreter, quantized_images):
    """Runs every int8 image through the TFLM interpreter; returns the int8 outputs."""
    outputs = []
    for image in quantized_images:
        interpreter.set_input(image[np.newaxis, ...], 0)
        interpreter.invoke()
        outputs.append(np.array(interpreter.get_output(0)).reshape(-1).astype(np.int8))
    return np.stack(outputs)


def compare_with_tflite(model_bytes, quantized_images, tflm_outputs):
    """Informational cross-check against TensorFlow's own TFLite interpreter (reference
    kernels, no delegate). Its FULLY_CONNECTED requantization rounds differently from
    TFLM's in a few cases (off by one LSB), so some vectors differ; TFLM stays the
    golden reference. Returns (vectors that differ, largest absolute difference)."""
    interpreter = tf.lite.Interpreter(
        model_content=model_bytes,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF)
    interpreter.allocate_tensors()
    input_index = interpreter.get_input_details()[0]["index"]
    output_index = interpreter.get_output_details()[0]["index"]
    differing, largest = 0, 0
    for image, expected in zip(quantized_images, tflm_outputs):
        interpreter.set_tensor(input_index, image[np.newaxis, ...])
        interpreter.invoke()
        got = interpreter.get_tensor(output_index).reshape(-1).astype(np.int32)
        gap = int(np.max(np.abs(got - expected.astype(np.int32))))
        if gap:
            differing += 1
            largest = max(largest, gap)
    return differing, largest


def pick_samples(y_test):
    """Indices of the first held-out image of each of the first SAMPLE_COUNT distinct
    labels met in held-out order, so the samples cover different digits."""
    chosen, seen = [], set()
    for index, label in enumerate(y_test):
        if label not in seen:
            seen.add(label)
            chosen.append(index)
        if len(chosen) == SAMPLE_COUNT:
            break
    return chosen


def write_samples(sample_dir, indices, quantized_test, y_test, outputs):
    os.makedirs(sample_dir, exist_ok=True)
    lines = []
    for k, index in enumerate(indices):
        name = f"sample_{k}.bin"
        with open(os.path.join(sample_dir, name), "wb") as f:
            f.write(quantized_test[index].tobytes())
        vector = " ".join(str(int(v)) for v in outputs[index])
        predicted = int(np.argmax(outputs[index]))
        lines.append(f"{name} {int(y_test[index])} {predicted} {vector}")
    with open(os.path.join(sample_dir, "labels.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dense-per-tensor", action="store_true",
                        help="quantize FULLY_CONNECTED weights per-tensor instead of per-channel")
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "examples"),
                        help="output folder (default: examples/ at the repo root)")
    args = parser.parse_args()

    seed_everything()
    x_train, x_test, y_train, y_test = load_split()
    print(f"data: {len(x_train)} train / {len(x_test)} held-out images (seed {SEED})")

    model = build_model()
    trainer = train(model, x_train, y_train)
    acc_float = float_accuracy(trainer, x_test, y_test)
    print(f"weights: {model.count_params()} parameters")

    model_bytes = convert_int8(model, x_train, args.dense_per_tensor)
    check_model(model_bytes)

    interpreter = tflm.Interpreter.from_bytes(model_bytes)
    details_in, in_scale, in_zp, details_out, out_scale, out_zp = io_quantization(interpreter)
    if list(details_in["shape"]) != [1, *INPUT_SHAPE] or details_in["dtype"] != np.int8:
        fail(f"unexpected input tensor {details_in['shape']} {details_in['dtype']}")
    print(f"input : shape {[int(d) for d in details_in['shape']]} int8 scale {in_scale!r} zero_point {in_zp}")
    print(f"output: shape {[int(d) for d in details_out['shape']]} int8 scale {out_scale!r} zero_point {out_zp}")

    quantized_test = quantize_input(x_test, in_scale, in_zp)
    outputs = run_oracle(interpreter, quantized_test)
    acc_int8 = float(np.mean(np.argmax(outputs, axis=1) == y_test))
    differing, largest = compare_with_tflite(model_bytes, quantized_test, outputs)
    print(f"TFLite reference kernels vs TFLM: {differing} of {len(y_test)} int8 output vectors "
          f"differ (max |diff| {largest}); TFLM is the golden reference")
    print(f"accuracy on {len(y_test)} held-out images: float {acc_float:.4f}  int8 (TFLM) {acc_int8:.4f}")

    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "digits_int8.tflite")
    with open(model_path, "wb") as f:
        f.write(model_bytes)
    # Reload from the written file so the file itself is what the oracle has checked.
    reloaded = run_oracle(tflm.Interpreter.from_file(model_path), quantized_test)
    if not np.array_equal(reloaded, outputs):
        fail(f"{model_path} gives different outputs when reloaded")
    indices = pick_samples(y_test)
    write_samples(os.path.join(args.out, "digits_samples"), indices, quantized_test, y_test, outputs)
    print(f"wrote {model_path} ({len(model_bytes)} bytes) and {len(indices)} samples")


if __name__ == "__main__":
    main()
