#!/usr/bin/env python3
"""Bit-exactness check of the tfk kernels against the TFLM oracle.

For every checked operator this script draws random shapes, quantization
parameters and data, builds a one-operator int8 .tflite model with the
flatbuffer schema module shipped inside the installed tflite_micro package,
runs it in TFLM's Python interpreter (the reference kernels), computes the
kernel parameters the way TFLM's Prepare() does (oracle_prepare.py), runs the
tfk kernel through oracle_driver (compiled with -fsanitize=address,undefined)
and compares the output bytes.

Usage: oracle_check.py [--cases N] [--seed S] [--ops op1,op2] [--driver PATH]
Exit status 0 when every byte matches, 1 on any difference, 2 on setup errors.
"""

import argparse
import math
import os
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from oracle_model import ModelBuilder, fb, run_oracle  # noqa: E402
import oracle_prepare as P  # noqa: E402

BO = fb.BuiltinOperator
OPT = fb.BuiltinOptions
I8, I16, I32, F32 = np.int8, np.int16, np.int32, np.float32
DTYPE_CODES = {np.dtype(I32): 0, np.dtype(I8): 1, np.dtype(F32): 2, np.dtype(I16): 3}
ACTIVATIONS = [0, 1, 2, 3]  # NONE, RELU, RELU_N1_TO_1, RELU6


class Case:
    """One kernel invocation: driver op name, driver arrays, oracle bytes."""

    def __init__(self, op, arrays, expected, desc):
        self.op = op
        self.arrays = arrays
        self.expected = expected
        self.desc = desc


# --------------------------------------------------------------------------
# random helpers
# --------------------------------------------------------------------------

def log_uniform(rng, lo, hi):
    return F32(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def rand_i8(rng, shape):
    return rng.integers(-128, 128, size=shape, dtype=np.int64).astype(I8)


def extreme_scale(rng, s_out, acc_scale):
    """Occasionally replaces a realistic output scale by one whose requantization
    multiplier (acc_scale / s_out) is above 1 (left shifts) or tiny."""
    r = rng.random()
    if r < 0.07:
        return F32(acc_scale / rng.uniform(1.0, 60.0))
    if r < 0.12:
        return F32(acc_scale * math.exp(rng.uniform(math.log(1e3), math.log(1e8))))
    return s_out


def rand_zp(rng):
    return int(rng.integers(-128, 128)) if rng.random() < 0.5 else int(rng.integers(-20, 21))


def shape_arr(shape):
    return np.array([len(shape)] + list(shape), dtype=I32)


def i32(values):
    return np.array(values, dtype=I32)


def empty_i32():
    return np.zeros(0, dtype=I32)


def oracle(builder, inputs, outputs, feeds):
    model = builder.build(inputs, outputs)
    return run_oracle(model, feeds, len(outputs))


# --------------------------------------------------------------------------
# case generators (one per operator)
# --------------------------------------------------------------------------

def gen_conv2d(rng):
    groups = 1 if rng.random() < 0.8 else int(rng.integers(2, 4))
    n = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(1, 10, size=2))
    # Deeper channels now and then, so that the fast kernels' 4-byte blocks and tails both run.
    fcin = int(rng.integers(1, 6)) if rng.random() < 0.7 else int(rng.integers(6, 24))
    cin = fcin * groups
    cout = groups * int(rng.integers(1, 5))
    kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
    if groups == 1 and rng.random() < 0.1:
        # wide 3x3 windows: 3*3*fcin bytes past tfk_conv2d_fast_s8's two-pixel limit
        # (576) and past its gather limit (1152), where it takes the row-by-row path
        fcin = cin = int(rng.integers(60, 140))
        kh = kw = 3
    elif groups == 1 and rng.random() < 0.2:
        # what tfk_conv_3x3_s8_dsp takes: 3x3 on depths in fours up to 64 (ResNet's 16,
        # 32, 64) or on an odd few (a first layer on 3 channels); output channel
        # counts odd and even, now and then past its block of 64
        kh = kw = 3
        fcin = cin = 4 * int(rng.integers(1, 17)) if rng.random() < 0.7 else int(rng.integers(1, 8))
        cout = int(rng.integers(1, 12)) if rng.random() < 0.85 else int(rng.integers(60, 70))
        if cin * cout > 200:
            h, w = (int(v) for v in rng.integers(1, 7, size=2))
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    dh, dw = (int(v) for v in rng.integers(1, 3, size=2))
    same = bool(rng.random() < 0.5)
    if rng.random() < 0.25:  # pointwise: what tfk_conv2d_1x1_s8 takes
        kh = kw = 1
        same = False
        if groups == 1 and rng.random() < 0.6:
            # depths tfk_conv_1x1_s8_dsp takes (multiples of 4 up to 256); deep ones on
            # small maps, odd pixel and channel counts from h, w, cout as drawn
            fcin = cin = 4 * int(rng.integers(1, 9) if rng.random() < 0.7 else rng.integers(9, 65))
            # now and then more output channels than its block of 64 (odd and even)
            cout = int(rng.integers(1, 10)) if rng.random() < 0.8 else int(rng.integers(60, 140))
            if cin > 64 or cout > 9:
                h, w = (int(v) for v in rng.integers(1, 4, size=2))
    oh = P.compute_out_size(same, h, kh, sh, dh)
    ow = P.compute_out_size(same, w, kw, sw, dw)
    if oh <= 0 or ow <= 0:
        return None
    act = int(rng.choice(ACTIVATIONS))
    s_in, z_in = log_uniform(rng, 0.002, 0.5), rand_zp(rng)
    per_channel = rng.random() < 0.8
    fscales = [log_uniform(rng, 0.001, 0.05) for _ in range(cout if per_channel else 1)]
    k = kh * kw * fcin
    s_out = F32(s_in * float(np.mean(fscales)) * 5476.0 * math.sqrt(k) / (60.0 * rng.uniform(0.4, 2.0)))
    s_out = extreme_scale(rng, s_out, s_in * float(np.min(fscales)))
    z_out = rand_zp(rng)
    x = rand_i8(rng, (n, h, w, cin))
    wts = rand_i8(rng, (cout, kh, kw, fcin))
    bias = rng.integers(-4000, 4000, size=cout).astype(I32) * int(rng.integers(1, 20))
    has_bias = rng.random() < 0.85

    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s_in, z_in)
    tw = b.tensor(wts.shape, I8, fscales, 0, data=wts, quantized_dimension=0)
    ins = [ti, tw]
    if has_bias:
        ins.append(b.tensor(bias.shape, I32, [float(s_in) * float(fs) for fs in fscales], 0,
                            data=bias, quantized_dimension=0))
    else:
        ins.append(-1)
    to = b.tensor((n, oh, ow, cout), I8, s_out, z_out)
    opts = fb.Conv2DOptionsT()
    opts.padding = 0 if same else 1
    opts.strideH, opts.strideW = sh, sw
    opts.dilationHFactor, opts.dilationWFactor = dh, dw
    opts.fusedActivationFunction = act
    b.operator(BO.CONV_2D, ins, [to], OPT.Conv2DOptions, opts)
    y = oracle(b, [ti], [to], [x])

    mults, shifts = P.per_channel_multipliers(s_in, fscales * (1 if per_channel else cout), s_out)
    amin, amax = P.activation_range(act, s_out, z_out)
    pad_h = P.compute_padding(sh, dh, h, kh, oh)
    pad_w = P.compute_padding(sw, dw, w, kw, ow)
    params = i32([n, h, w, cin, cout, kh, kw, fcin, n, oh, ow, cout, -z_in, z_out, sh, sw, dh,
                  dw, pad_h, pad_w, amin, amax, 0])
    arrays = [params, i32(mults), i32(shifts), x, wts, bias if has_bias else empty_i32()]
    desc = "in=%s f=%s s=%d,%d d=%d,%d %s g=%d act=%d pc=%d" % (
        x.shape, wts.shape, sh, sw, dh, dw, "SAME" if same else "VALID", groups, act, per_channel)
    return Case("conv2d", arrays, y.tobytes(), desc)


def gen_depthwise_conv2d(rng):
    n = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(1, 10, size=2))
    cin = int(rng.integers(1, 6)) if rng.random() < 0.6 else int(rng.integers(6, 20))
    dm = int(rng.integers(1, 4)) if rng.random() < 0.4 else (1 if rng.random() < 0.7 else int(rng.integers(4, 10)))
    cout = cin * dm
    kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    dh, dw = (int(v) for v in rng.integers(1, 3, size=2))
    if rng.random() < 0.3:
        # MobileNet-style 3x3 / dm 1 / stride 1 or 2: the unrolled interior path of
        # tfk_depthwise_conv2d_fast_s8 and its clipped border variant (channels in fours plus a remainder);
        # with --emulate-dsp also tfk_dw_conv_3x3_s8_dsp (interior runs, gathered border windows)
        kh = kw = 3
        dh = dw = dm = 1
        sh = sw = int(rng.integers(1, 3))
        # maps down to 1x1 now and then: windows clipped to one or two rows / columns
        # (dw3x3_clipped) besides the interior
        h, w = (int(v) for v in rng.integers(1 if rng.random() < 0.3 else 3, 12, size=2))
        # (tfk_dw_conv_3x3_s8_mve: blocks of eight channels, the last one partial)
        cin = cout = int(rng.choice([4, 8, 12, 16, 5, 7, 9, 1, 17, 24, 33]))
    elif rng.random() < 0.2:
        # one input channel (MobileNet's first layer: 96x96x1 into 8 channels, dm 8): the
        # SMLAD path of tfk_depthwise_conv2d_fast_s8 on DSP cores, full 3x3 windows read
        # directly and clipped or other windows (up to 10 taps, any dilation) gathered
        cin, dm = 1, int(rng.choice([8, 1, 2, 3, 5, 16, 24]))
        cout = dm
        if rng.random() < 0.6:
            kh = kw = 3
            dh = dw = 1
        h, w = (int(v) for v in rng.integers(1, 14, size=2))
    same = bool(rng.random() < 0.5)
    oh = P.compute_out_size(same, h, kh, sh, dh)
    ow = P.compute_out_size(same, w, kw, sw, dw)
    if oh <= 0 or ow <= 0:
        return None
    act = int(rng.choice(ACTIVATIONS))
    s_in, z_in = log_uniform(rng, 0.002, 0.5), rand_zp(rng)
    per_channel = rng.random() < 0.8
    fscales = [log_uniform(rng, 0.001, 0.05) for _ in range(cout if per_channel else 1)]
    s_out = F32(s_in * float(np.mean(fscales)) * 5476.0 * math.sqrt(kh * kw) /
                (60.0 * rng.uniform(0.4, 2.0)))
    s_out = extreme_scale(rng, s_out, s_in * float(np.min(fscales)))
    z_out = rand_zp(rng)
    x = rand_i8(rng, (n, h, w, cin))
    wts = rand_i8(rng, (1, kh, kw, cout))
    bias = rng.integers(-3000, 3000, size=cout).astype(I32) * int(rng.integers(1, 10))
    has_bias = rng.random() < 0.85

    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s_in, z_in)
    tw = b.tensor(wts.shape, I8, fscales, 0, data=wts, quantized_dimension=3)
    # TFLM's depthwise Prepare crashes without a bias tensor, so the no-bias
    # case gives the oracle a zero bias and the kernel a NULL bias.
    ins = [ti, tw, b.tensor(bias.shape, I32, [float(s_in) * float(fs) for fs in fscales], 0,
                            data=bias if has_bias else np.zeros_like(bias),
                            quantized_dimension=0)]
    to = b.tensor((n, oh, ow, cout), I8, s_out, z_out)
    opts = fb.DepthwiseConv2DOptionsT()
    opts.padding = 0 if same else 1
    opts.strideH, opts.strideW = sh, sw
    opts.dilationHFactor, opts.dilationWFactor = dh, dw
    opts.depthMultiplier = dm
    opts.fusedActivationFunction = act
    b.operator(BO.DEPTHWISE_CONV_2D, ins, [to], OPT.DepthwiseConv2DOptions, opts)
    y = oracle(b, [ti], [to], [x])

    mults, shifts = P.per_channel_multipliers(s_in, fscales * (1 if per_channel else cout), s_out)
    amin, amax = P.activation_range(act, s_out, z_out)
    params = i32([n, h, w, cin, 1, kh, kw, cout, n, oh, ow, cout, -z_in, z_out, sh, sw, dh, dw,
                  P.compute_padding(sh, dh, h, kh, oh), P.compute_padding(sw, dw, w, kw, ow),
                  amin, amax, dm])
    arrays = [params, i32(mults), i32(shifts), x, wts, bias if has_bias else empty_i32()]
    desc = "in=%s f=%s dm=%d s=%d,%d d=%d,%d %s act=%d pc=%d" % (
        x.shape, wts.shape, dm, sh, sw, dh, dw, "SAME" if same else "VALID", act, per_channel)
    return Case("depthwise_conv2d", arrays, y.tobytes(), desc)


def gen_transpose_conv(rng):
    n = 1
    h, w = (int(v) for v in rng.integers(1, 7, size=2))
    cin = int(rng.integers(1, 5))
    cout = int(rng.integers(1, 5))
    kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
    sh, sw = (int(v) for v in rng.integers(1, 3, size=2))
    same = bool(rng.random() < 0.5)
    oh = h * sh if same else (h - 1) * sh + kh
    ow = w * sw if same else (w - 1) * sw + kw
    s_in, z_in = log_uniform(rng, 0.002, 0.5), rand_zp(rng)
    per_channel = rng.random() < 0.7
    fscales = [log_uniform(rng, 0.001, 0.05) for _ in range(cout if per_channel else 1)]
    s_out = F32(s_in * float(np.mean(fscales)) * 5476.0 * math.sqrt(cin * kh * kw) /
                (60.0 * rng.uniform(0.4, 2.0)))
    z_out = rand_zp(rng)
    x = rand_i8(rng, (n, h, w, cin))
    wts = rand_i8(rng, (cout, kh, kw, cin))
    bias = rng.integers(-3000, 3000, size=cout).astype(I32)
    has_bias = rng.random() < 0.7

    b = ModelBuilder()
    tshape = b.tensor([4], I32, data=np.array([n, oh, ow, cout], I32))
    tw = b.tensor(wts.shape, I8, fscales, 0, data=wts, quantized_dimension=0)
    ti = b.tensor(x.shape, I8, s_in, z_in)
    ins = [tshape, tw, ti]
    if has_bias:
        ins.append(b.tensor(bias.shape, I32, [float(s_in) * float(fs) for fs in fscales], 0,
                            data=bias, quantized_dimension=0))
    to = b.tensor((n, oh, ow, cout), I8, s_out, z_out)
    opts = fb.TransposeConvOptionsT()
    opts.padding = 0 if same else 1
    opts.strideH, opts.strideW = sh, sw
    b.operator(BO.TRANSPOSE_CONV, ins, [to], OPT.TransposeConvOptions, opts)
    y = oracle(b, [ti], [to], [x])

    mults, shifts = P.per_channel_multipliers(s_in, fscales * (1 if per_channel else cout), s_out)
    # TFLM computes the padding with the output as the "input" size.
    pad_h = P.compute_padding(sh, 1, oh, kh, P.compute_out_size(same, oh, kh, sh))
    pad_w = P.compute_padding(sw, 1, ow, kw, P.compute_out_size(same, ow, kw, sw))
    params = i32([n, h, w, cin, cout, kh, kw, cin, n, oh, ow, cout, -z_in, z_out, sh, sw, 1, 1,
                  pad_h, pad_w, -128, 127, 0])
    arrays = [params, i32(mults), i32(shifts), x, wts, bias if has_bias else empty_i32()]
    desc = "in=%s f=%s out=%s s=%d,%d %s pc=%d" % (
        x.shape, wts.shape, (n, oh, ow, cout), sh, sw, "SAME" if same else "VALID", per_channel)
    return Case("transpose_conv", arrays, y.tobytes(), desc)


def gen_fully_connected(rng):
    batches = int(rng.integers(1, 4))
    accum = int(rng.integers(1, 40)) if rng.random() < 0.8 else int(rng.integers(40, 700))
    out_depth = int(rng.integers(1, 12))
    act = int(rng.choice(ACTIVATIONS))
    s_in, z_in = log_uniform(rng, 0.002, 0.5), rand_zp(rng)
    per_channel = rng.random() < 0.4
    fscales = [log_uniform(rng, 0.001, 0.05) for _ in range(out_depth if per_channel else 1)]
    s_out = F32(s_in * float(np.mean(fscales)) * 5476.0 * math.sqrt(accum) /
                (60.0 * rng.uniform(0.4, 2.0)))
    s_out = extreme_scale(rng, s_out, s_in * float(np.min(fscales)))
    z_out = rand_zp(rng)
    x = rand_i8(rng, (batches, accum))
    wts = rand_i8(rng, (out_depth, accum))
    bias = rng.integers(-5000, 5000, size=out_depth).astype(I32)
    has_bias = rng.random() < 0.85

    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s_in, z_in)
    tw = b.tensor(wts.shape, I8, fscales, 0, data=wts, quantized_dimension=0)
    ins = [ti, tw]
    if has_bias:
        ins.append(b.tensor(bias.shape, I32, [float(s_in) * float(fs) for fs in fscales], 0,
                            data=bias, quantized_dimension=0))
    else:
        ins.append(-1)
    to = b.tensor((batches, out_depth), I8, s_out, z_out)
    opts = fb.FullyConnectedOptionsT()
    opts.fusedActivationFunction = act
    b.operator(BO.FULLY_CONNECTED, ins, [to], OPT.FullyConnectedOptions, opts)
    y = oracle(b, [ti], [to], [x])

    amin, amax = P.activation_range(act, s_out, z_out)
    if per_channel:
        mults, shifts = P.per_channel_multipliers(s_in, fscales, s_out)
        m, s = 0, 0
    else:
        m, s = P.fc_per_tensor_multiplier(s_in, fscales[0], s_out)
        mults, shifts = [], []
    params = i32([batches, accum, out_depth, -z_in, 0, z_out, m, s, amin, amax, int(per_channel)])
    arrays = [params, i32(mults), i32(shifts), x, wts, bias if has_bias else empty_i32()]
    desc = "in=%s f=%s act=%d pc=%d" % (x.shape, wts.shape, act, per_channel)
    return Case("fully_connected", arrays, y.tobytes(), desc)


def _gen_pool(rng, is_avg):
    n = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(1, 10, size=2))
    c = int(rng.integers(1, 6)) if rng.random() < 0.6 else int(rng.integers(6, 40))
    fh, fw = (int(v) for v in rng.integers(1, 5, size=2))
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    same = bool(rng.random() < 0.5)
    oh = P.compute_out_size(same, h, fh, sh)
    ow = P.compute_out_size(same, w, fw, sw)
    if oh <= 0 or ow <= 0:
        return None
    act = int(rng.choice(ACTIVATIONS))
    s, z = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    x = rand_i8(rng, (n, h, w, c))
    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s, z)
    to = b.tensor((n, oh, ow, c), I8, s, z)
    opts = fb.Pool2DOptionsT()
    opts.padding = 0 if same else 1
    opts.strideH, opts.strideW = sh, sw
    opts.filterHeight, opts.filterWidth = fh, fw
    opts.fusedActivationFunction = act
    b.operator(BO.AVERAGE_POOL_2D if is_avg else BO.MAX_POOL_2D, [ti], [to], OPT.Pool2DOptions,
               opts)
    y = oracle(b, [ti], [to], [x])
    amin, amax = P.activation_range(act, s, z)
    params = i32([n, h, w, c, n, oh, ow, c, sh, sw, fh, fw, P.compute_padding(sh, 1, h, fh, oh),
                  P.compute_padding(sw, 1, w, fw, ow), amin, amax])
    desc = "in=%s f=%d,%d s=%d,%d %s act=%d" % (x.shape, fh, fw, sh, sw,
                                                 "SAME" if same else "VALID", act)
    return Case("avg_pool2d" if is_avg else "max_pool2d", [params, x], y.tobytes(), desc)


def gen_avg_pool2d(rng):
    return _gen_pool(rng, True)


def gen_max_pool2d(rng):
    return _gen_pool(rng, False)


def broadcast_shapes(rng, max_rank=6):
    """Two input shapes broadcastable to a random output shape (TFLM's
    binary ops broadcast up to 6-D)."""
    rank = int(rng.integers(1, max_rank + 1))
    out = [int(v) for v in rng.integers(1, 6 if rank <= 4 else 4, size=rank)]
    shapes = []
    for _ in range(2):
        s = [d if rng.random() < 0.6 else 1 for d in out]
        drop = int(rng.integers(0, rank + 1)) if rng.random() < 0.3 else 0
        shapes.append(s[drop:])
    if rng.random() < 0.35:  # plain elementwise case
        if rng.random() < 0.4:  # long enough for the flat kernels' lookup tables
            out = [1, int(rng.integers(4, 20)), int(rng.integers(4, 20)), int(rng.integers(1, 9))]
            rank = 4
        shapes = [list(out), list(out)]
    out = [max(shapes[0][i - (rank - len(shapes[0]))] if i >= rank - len(shapes[0]) else 1,
               shapes[1][i - (rank - len(shapes[1]))] if i >= rank - len(shapes[1]) else 1)
           for i in range(rank)]
    return shapes[0], shapes[1], out


def _gen_binary(rng, code, name):
    s1, s2, so = broadcast_shapes(rng)
    a, bb = rand_i8(rng, s1), rand_i8(rng, s2)
    sc1, z1 = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    if name in ("maximum", "minimum"):
        sc2, z2, sco, zo = sc1, z1, sc1, z1
    else:
        sc2, z2 = log_uniform(rng, 0.0005, 5.0), rand_zp(rng)
        zo = rand_zp(rng)
        if name == "mul":
            sco = F32(float(sc1) * float(sc2) * 5476.0 / (80.0 * rng.uniform(0.3, 2.0)))
        else:
            sco = F32(max(float(sc1), float(sc2)) * rng.uniform(0.5, 2.5))
    act = int(rng.choice(ACTIVATIONS)) if name in ("add", "sub", "mul") else 0
    b = ModelBuilder()
    t1 = b.tensor(s1, I8, sc1, z1)
    t2 = b.tensor(s2, I8, sc2, z2)
    to = b.tensor(so, I8, sco, zo)
    if name == "add":
        opts = fb.AddOptionsT()
        opts.fusedActivationFunction = act
        b.operator(code, [t1, t2], [to], OPT.AddOptions, opts)
        params = P.add_params(sc1, z1, sc2, z2, sco, zo, act)
    elif name == "sub":
        opts = fb.SubOptionsT()
        opts.fusedActivationFunction = act
        b.operator(code, [t1, t2], [to], OPT.SubOptions, opts)
        params = P.add_params(sc1, z1, sc2, z2, sco, zo, act)
    elif name == "mul":
        opts = fb.MulOptionsT()
        opts.fusedActivationFunction = act
        b.operator(code, [t1, t2], [to], OPT.MulOptions, opts)
        params = P.mul_params(sc1, z1, sc2, z2, sco, zo, act)
    else:
        b.operator(code, [t1, t2], [to], OPT.MaximumMinimumOptions,
                   fb.MaximumMinimumOptionsT())
        params = [0]
    y = oracle(b, [t1, t2], [to], [a, bb])
    arrays = [i32(params), shape_arr(s1), shape_arr(s2), shape_arr(so), a, bb]
    return Case(name, arrays, y.tobytes(), "%s + %s -> %s act=%d" % (s1, s2, so, act))


def gen_add(rng):
    return _gen_binary(rng, BO.ADD, "add")


def gen_sub(rng):
    return _gen_binary(rng, BO.SUB, "sub")


def gen_mul(rng):
    return _gen_binary(rng, BO.MUL, "mul")


def gen_maximum(rng):
    return _gen_binary(rng, BO.MAXIMUM, "maximum")


def gen_minimum(rng):
    return _gen_binary(rng, BO.MINIMUM, "minimum")


def gen_prelu(rng):
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 6, size=rank)]
    alpha_shape = [d if rng.random() < 0.5 else 1 for d in shape]
    alpha_shape = alpha_shape[int(rng.integers(0, rank)):] if rng.random() < 0.5 else alpha_shape
    x, alpha = rand_i8(rng, shape), rand_i8(rng, alpha_shape)
    s_in, z_in = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    s_a, z_a = log_uniform(rng, 0.001, 0.02), rand_zp(rng)
    s_out, z_out = F32(float(s_in) * rng.uniform(0.3, 2.0)), rand_zp(rng)
    b = ModelBuilder()
    ti = b.tensor(shape, I8, s_in, z_in)
    ta = b.tensor(alpha_shape, I8, s_a, z_a, data=alpha)
    to = b.tensor(shape, I8, s_out, z_out)
    b.operator(BO.PRELU, [ti, ta], [to])
    y = oracle(b, [ti], [to], [x])
    params = P.prelu_params(s_in, z_in, s_a, z_a, s_out, z_out)
    arrays = [i32(params), shape_arr(shape), shape_arr(alpha_shape), shape_arr(shape), x, alpha]
    return Case("prelu", arrays, y.tobytes(), "%s alpha %s" % (shape, alpha_shape))


def _all_int8_values(rng, extra=64):
    v = np.concatenate([np.arange(-128, 128), rng.integers(-128, 128, size=extra)])
    rng.shuffle(v)
    return v.astype(I8)


def _gen_unary(rng, code, name, s_out, z_out, params_fn, opts_type=0, opts=None, s_in=None):
    s_in = s_in if s_in is not None else log_uniform(rng, 0.0002, 8.0)
    z_in = rand_zp(rng)
    x = _all_int8_values(rng)
    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s_in, z_in)
    to = b.tensor(x.shape, I8, s_out, z_out)
    b.operator(code, [ti], [to], opts_type, opts)
    y = oracle(b, [ti], [to], [x])
    params = params_fn(s_in, z_in)
    return Case(name, [i32(params), x], y.tobytes(),
                "s_in=%g z_in=%d s_out=%g z_out=%d" % (s_in, z_in, s_out, z_out))


def gen_logistic(rng):
    return _gen_unary(rng, BO.LOGISTIC, "logistic", F32(1.0 / 256), -128, P.logistic_tanh_params)


def gen_tanh(rng):
    return _gen_unary(rng, BO.TANH, "tanh", F32(1.0 / 128), 0, P.logistic_tanh_params)


def gen_relu(rng):
    s_in = log_uniform(rng, 0.005, 0.5)
    s_out, z_out = F32(float(s_in) * rng.uniform(0.3, 2.0)), rand_zp(rng)
    return _gen_unary(rng, BO.RELU, "relu", s_out, z_out,
                      lambda s, z: P.relu_params(s, z, s_out, z_out), s_in=s_in)


def gen_relu6(rng):
    # RELU6 int8 in TFLM clamps without requantizing: use the input quantization.
    s, z = log_uniform(rng, 0.01, 0.2), rand_zp(rng)
    x = _all_int8_values(rng)
    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s, z)
    to = b.tensor(x.shape, I8, s, z)
    b.operator(BO.RELU6, [ti], [to])
    y = oracle(b, [ti], [to], [x])
    return Case("relu6", [i32(P.relu6_bounds(s, z)), x], y.tobytes(), "s=%g z=%d" % (s, z))


def gen_leaky_relu(rng):
    s_in = log_uniform(rng, 0.005, 0.5)
    s_out, z_out = F32(float(s_in) * rng.uniform(0.3, 2.0)), rand_zp(rng)
    alpha = F32(rng.choice([0.01, 0.1, 0.2, 0.3, rng.uniform(0.0, 1.0), rng.uniform(-1.0, 2.0)]))
    opts = fb.LeakyReluOptionsT()
    opts.alpha = float(alpha)
    return _gen_unary(rng, BO.LEAKY_RELU, "leaky_relu", s_out, z_out,
                      lambda s, z: P.leaky_relu_params(s, z, s_out, z_out, alpha),
                      OPT.LeakyReluOptions, opts, s_in=s_in)


def gen_hard_swish(rng):
    s_in = log_uniform(rng, 0.002, 0.3)
    s_out, z_out = F32(float(s_in) * rng.uniform(0.2, 3.0)), rand_zp(rng)
    return _gen_unary(rng, BO.HARD_SWISH, "hard_swish", s_out, z_out,
                      lambda s, z: P.hard_swish_params(s, z, s_out, z_out), s_in=s_in)


def gen_requantize(rng):
    s_in = log_uniform(rng, 0.002, 0.5)
    s_out, z_out = F32(float(s_in) * rng.uniform(0.2, 4.0)), rand_zp(rng)
    return _gen_unary(rng, BO.QUANTIZE, "requantize", s_out, z_out,
                      lambda s, z: P.requantize_params(s, z, s_out, z_out), s_in=s_in)


def gen_softmax(rng):
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 5, size=rank)]
    shape[-1] = int(rng.integers(1, 40)) if rng.random() < 0.8 else int(rng.integers(40, 600))
    beta = F32(rng.choice([1.0, 1.0, 0.5, 2.0, rng.uniform(0.1, 3.0)]))
    s_in, z_in = log_uniform(rng, 0.0005, 5.0 if rng.random() < 0.9 else 80.0), rand_zp(rng)
    out16 = rng.random() < 0.3
    x = rand_i8(rng, shape)
    # TFLM aborts (out-of-range shift) when a row's exponentials sum to >= 512;
    # that case is covered by the unit tests, not by the oracle.
    rows = x.reshape(-1, shape[-1]).astype(np.float64)
    sums = np.exp(float(beta) * float(s_in) * (rows - rows.max(axis=1, keepdims=True))).sum(axis=1)
    if not out16 and sums.max() >= 500:
        return None
    b = ModelBuilder()
    ti = b.tensor(shape, I8, s_in, z_in)
    if out16:
        to = b.tensor(shape, I16, F32(1.0 / 65536), -32768)
    else:
        to = b.tensor(shape, I8, F32(1.0 / 256), -128)
    opts = fb.SoftmaxOptionsT()
    opts.beta = float(beta)
    b.operator(BO.SOFTMAX, [ti], [to], OPT.SoftmaxOptions, opts)
    y = oracle(b, [ti], [to], [x])
    depth = shape[-1]
    outer = int(np.prod(shape)) // depth
    params = P.softmax_params(beta, s_in) + [outer, depth, int(out16)]
    return Case("softmax", [i32(params), x], y.tobytes(),
                "%s beta=%g s_in=%g out16=%d" % (shape, beta, s_in, out16))


def _sigmoid_table():
    """TFLM's int16 sigmoid table, measured from the oracle (once)."""
    global _SIGMOID_TABLE
    if _SIGMOID_TABLE is None:
        import measure_sigmoid_table
        _SIGMOID_TABLE = measure_sigmoid_table.measure()
    return _SIGMOID_TABLE


_SIGMOID_TABLE = None


def _int16_scale(rng):
    """Input scales for the int16 activations: the table grid and its
    neighbours as powers of two, random ones from tiny to the largest TFLM
    takes (32767 / 12288)."""
    pick = rng.random()
    if pick < 0.3:
        return F32(2.0 ** int(rng.integers(-16, 2)))
    if pick < 0.4:
        return F32(rng.choice([1e-7, 2.6666, 2.0 ** -31, 32767.0 / 12288.0]))
    return log_uniform(rng, 1e-6, 2.6)


def _int16_values(rng, shape):
    x = rng.integers(-32768, 32768, size=shape, dtype=np.int64)
    if rng.random() < 0.3:  # small values, where the curve bends
        x = x // int(rng.integers(2, 4096))
    return x.astype(I16)


def _gen_sigmoid16(rng, tanh):
    s_in = _int16_scale(rng)
    params = P.sigmoid16_params(s_in, tanh)
    if params is None:
        return None
    if rng.random() < 0.2:
        x = np.arange(-32768, 32768, dtype=np.int64).astype(I16).reshape(256, 256)
    else:
        rank = int(rng.integers(1, 5))
        x = _int16_values(rng, [int(v) for v in rng.integers(1, 9, size=rank)])
    b = ModelBuilder()
    ti = b.tensor(x.shape, I16, s_in, 0)
    to = b.tensor(x.shape, I16, F32(1.0 / 32768), 0)
    b.operator(BO.TANH if tanh else BO.LOGISTIC, [ti], [to])
    y = oracle(b, [ti], [to], [x])
    return Case("tanh16" if tanh else "logistic16", [i32(params), np.array(_sigmoid_table(), dtype=I32), x],
                y.tobytes(), "%s s_in=%r params=%s" % (list(x.shape), s_in, params))


def gen_logistic16(rng):
    return _gen_sigmoid16(rng, False)


def gen_tanh16(rng):
    return _gen_sigmoid16(rng, True)


def gen_softmax16(rng):
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 5, size=rank)]
    shape[-1] = int(rng.integers(1, 40)) if rng.random() < 0.8 else int(rng.integers(40, 2000))
    beta = F32(rng.choice([1.0, 1.0, 0.5, 2.0, 0.01, rng.uniform(0.1, 3.0)]))
    s_in = _int16_scale(rng)
    params = P.softmax16_params(beta, s_in)
    if not (-31 <= params[1] <= 30) or params[0] == 0:
        return None
    x = _int16_values(rng, shape)
    if rng.random() < 0.1:  # flat rows: every entry is the maximum
        x[...] = x.reshape(-1)[0]
    b = ModelBuilder()
    ti = b.tensor(shape, I16, s_in, 0)
    to = b.tensor(shape, I16, F32(1.0 / 32768), 0)
    opts = fb.SoftmaxOptionsT()
    opts.beta = float(beta)
    b.operator(BO.SOFTMAX, [ti], [to], OPT.SoftmaxOptions, opts)
    y = oracle(b, [ti], [to], [x])
    depth = shape[-1]
    outer = int(np.prod(shape)) // depth
    exp_table, reciprocal = P.softmax16_tables()
    return Case("softmax16", [i32(params + [outer, depth]), np.array(exp_table, dtype=I16),
                              np.array(reciprocal, dtype=I16), x], y.tobytes(),
                "%s beta=%g s_in=%r params=%s" % (shape, beta, s_in, params))


def gen_mean(rng):
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 7, size=rank)]
    num_axes = int(rng.integers(1, rank + 1))
    axes = sorted(int(a) for a in rng.choice(rank, size=num_axes, replace=False))
    if rank == 4 and rng.random() < 0.3:
        axes = [1, 2]
        if rng.random() < 0.3:  # large global pool: exercises the 1/count folding
            shape[1], shape[2] = int(rng.integers(8, 40)), int(rng.integers(8, 40))
    if rng.random() < 0.08:  # empty axis list: TFLM requantizes element-wise
        axes = []
    keep = bool(rng.random() < 0.5)
    s_in, z_in = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    if rng.random() < 0.3:
        s_out, z_out = s_in, z_in
    else:
        s_out, z_out = F32(float(s_in) * rng.uniform(0.1, 2.0)), rand_zp(rng)
    x = rand_i8(rng, shape)
    out_shape = [1 if i in axes else d for i, d in enumerate(shape)] if keep else \
        [d for i, d in enumerate(shape) if i not in axes]
    b = ModelBuilder()
    ti = b.tensor(shape, I8, s_in, z_in)
    ta = b.tensor([len(axes)], I32, data=np.array(axes, I32))
    to = b.tensor(out_shape, I8, s_out, z_out)
    opts = fb.ReducerOptionsT()
    opts.keepDims = keep
    b.operator(BO.MEAN, [ti, ta], [to], OPT.ReducerOptions, opts)
    y = oracle(b, [ti], [to], [x])
    m, s = P.mean_multiplier(s_in, s_out)
    params = [z_in, z_out, m, s, len(axes)] + axes
    return Case("mean", [i32(params), shape_arr(shape), x], y.tobytes(),
                "%s axes=%s keep=%d same=%d" % (shape, axes, keep, s_in == s_out and z_in == z_out))


def _gen_resize(rng, bilinear):
    n = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(1, 9, size=2))
    c = int(rng.integers(1, 4))
    oh, ow = (int(v) for v in rng.integers(1, 17, size=2))
    mode = int(rng.integers(0, 3 if bilinear else 4))
    align, half = {0: (0, 0), 1: (1, 0), 2: (0, 1), 3: (1, 1)}[mode]
    s, z = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    x = rand_i8(rng, (n, h, w, c))
    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s, z)
    tsz = b.tensor([2], I32, data=np.array([oh, ow], I32))
    to = b.tensor((n, oh, ow, c), I8, s, z)
    if bilinear:
        opts = fb.ResizeBilinearOptionsT()
        opts.alignCorners, opts.halfPixelCenters = bool(align), bool(half)
        b.operator(BO.RESIZE_BILINEAR, [ti, tsz], [to], OPT.ResizeBilinearOptions, opts)
    else:
        opts = fb.ResizeNearestNeighborOptionsT()
        opts.alignCorners, opts.halfPixelCenters = bool(align), bool(half)
        b.operator(BO.RESIZE_NEAREST_NEIGHBOR, [ti, tsz], [to],
                   OPT.ResizeNearestNeighborOptions, opts)
    y = oracle(b, [ti], [to], [x])
    params = i32([n, h, w, c, oh, ow, align, half])
    return Case("resize_bilinear" if bilinear else "resize_nearest", [params, x], y.tobytes(),
                "%s -> %dx%d align=%d half=%d" % (x.shape, oh, ow, align, half))


def gen_resize_bilinear(rng):
    return _gen_resize(rng, True)


def gen_resize_nearest(rng):
    return _gen_resize(rng, False)


def gen_quantize(rng):
    size = int(rng.integers(1, 200))
    s, z = log_uniform(rng, 0.001, 1.0), rand_zp(rng)
    x = (rng.standard_normal(size) * float(s) * rng.uniform(10, 150)).astype(F32)
    # exact ties of the rounding (k + 0.5) * scale
    ties = ((rng.integers(-140, 140, size=size // 4) + 0.5) * float(s)).astype(F32)
    x[:ties.size] = ties
    b = ModelBuilder()
    ti = b.tensor(x.shape, F32)
    to = b.tensor(x.shape, I8, s, z)
    b.operator(BO.QUANTIZE, [ti], [to])
    y = oracle(b, [ti], [to], [x])
    return Case("quantize", [i32([z]), np.array([s], F32), x], y.tobytes(), "s=%g z=%d" % (s, z))


def gen_dequantize(rng):
    s, z = log_uniform(rng, 0.0001, 2.0), rand_zp(rng)
    x = _all_int8_values(rng)
    b = ModelBuilder()
    ti = b.tensor(x.shape, I8, s, z)
    to = b.tensor(x.shape, F32)
    b.operator(BO.DEQUANTIZE, [ti], [to])
    y = oracle(b, [ti], [to], [x])
    return Case("dequantize", [i32([z]), np.array([s], F32), x], y.astype(F32).tobytes(),
                "s=%g z=%d" % (s, z))


def gen_convert_int16(rng):
    """QUANTIZE / DEQUANTIZE with an int16 side (symmetric int16 tensors)."""
    kind = int(rng.integers(0, 4))
    size = int(rng.integers(1, 300))
    s8, z8 = log_uniform(rng, 0.002, 0.5), rand_zp(rng)
    s16 = F32(float(s8) / rng.uniform(20.0, 300.0))
    b = ModelBuilder()
    scale = F32(1.0)  # only the float sides use it
    if kind == 0:
        x = (rng.standard_normal(size) * float(s16) * rng.uniform(100, 40000)).astype(F32)
        ti, to = b.tensor([size], F32), b.tensor([size], I16, s16, 0)
        scale = s16
        params = [kind, 0, 0, 0, 0, 0]
        op = BO.QUANTIZE
    elif kind == 1:
        x = _all_int8_values(rng)
        size = x.size
        ti, to = b.tensor([size], I8, s8, z8), b.tensor([size], I16, s16, 0)
        params = [kind] + P.requantize_params(s8, z8, s16, 0) + [0]
        op = BO.QUANTIZE
    elif kind == 2:
        x = rng.integers(-32768, 32768, size=size).astype(I16)
        ti, to = b.tensor([size], I16, s16, 0), b.tensor([size], I8, s8, z8)
        params = [kind] + P.requantize_params(s16, 0, s8, z8) + [0]
        op = BO.QUANTIZE
    else:
        x = rng.integers(-32768, 32768, size=size).astype(I16)
        ti, to = b.tensor([size], I16, s16, 0), b.tensor([size], F32)
        params = [kind, 0, 0, 0, 0, 0]
        scale = s16
        op = BO.DEQUANTIZE
    b.operator(op, [ti], [to])
    y = oracle(b, [ti], [to], [x])
    return Case("convert_int16", [i32(params), np.array([scale], F32), x], y.tobytes(),
                "kind=%d s8=%g z8=%d s16=%g" % (kind, s8, z8, s16))


def gen_pad(rng):
    rank = int(rng.integers(1, 6))  # TFLM's PAD accepts up to 5-D
    shape = [int(v) for v in rng.integers(1, 5, size=rank)]
    before = [int(v) for v in rng.integers(0, 3, size=rank)]
    after = [int(v) for v in rng.integers(0, 3, size=rank)]
    s, z = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    v2 = rng.random() < 0.5
    pad_value = int(rng.integers(-128, 128)) if v2 else z
    x = rand_i8(rng, shape)
    out_shape = [b_ + d + a for b_, d, a in zip(before, shape, after)]
    b = ModelBuilder()
    ti = b.tensor(shape, I8, s, z)
    tp = b.tensor([rank, 2], I32, data=np.array(list(zip(before, after)), I32))
    to = b.tensor(out_shape, I8, s, z)
    if v2:
        tc = b.tensor([1], I8, s, z, data=np.array([pad_value], I8))
        b.operator(BO.PADV2, [ti, tp, tc], [to])
    else:
        b.operator(BO.PAD, [ti, tp], [to])
    y = oracle(b, [ti], [to], [x])
    params = [rank] + before + after + [pad_value]
    return Case("pad", [i32(params), shape_arr(shape), x], y.tobytes(),
                "%s before=%s after=%s v2=%d" % (shape, before, after, v2))


def gen_strided_slice(rng):
    rank = int(rng.integers(1, 5))  # TFLM's STRIDED_SLICE accepts up to 4-D
    shape = [int(v) for v in rng.integers(1, 6, size=rank)]
    begin, end, strides, counts = [], [], [], []
    for d in shape:
        step = int(rng.choice([1, 1, 2, 3, -1, -2]))
        if step > 0:
            b0 = int(rng.integers(0, d))
            e0 = int(rng.integers(b0 + 1, d + 1))
            cnt = (e0 - b0 + step - 1) // step
        else:
            if d < 2:
                step = 1
                b0, e0, cnt = 0, d, d
            else:
                b0 = int(rng.integers(1, d))
                e0 = int(rng.integers(0, b0))
                cnt = (b0 - e0 + (-step) - 1) // (-step)
        begin.append(b0)
        end.append(e0)
        strides.append(step)
        counts.append(cnt)
    x = rand_i8(rng, shape)
    b = ModelBuilder()
    ti = b.tensor(shape, I8, F32(0.1), 0)
    tb = b.tensor([rank], I32, data=np.array(begin, I32))
    te = b.tensor([rank], I32, data=np.array(end, I32))
    ts = b.tensor([rank], I32, data=np.array(strides, I32))
    to = b.tensor(counts, I8, F32(0.1), 0)
    b.operator(BO.STRIDED_SLICE, [ti, tb, te, ts], [to], OPT.StridedSliceOptions,
               fb.StridedSliceOptionsT())
    y = oracle(b, [ti], [to], [x])
    params = [rank] + begin + end + strides + [int(np.prod(counts))]
    return Case("strided_slice", [i32(params), shape_arr(shape), x], y.tobytes(),
                "%s begin=%s end=%s strides=%s" % (shape, begin, end, strides))


def gen_transpose(rng):
    rank = int(rng.integers(1, 6))
    shape = [int(v) for v in rng.integers(1, 5, size=rank)]
    perm = [int(v) for v in rng.permutation(rank)]
    x = rand_i8(rng, shape)
    b = ModelBuilder()
    ti = b.tensor(shape, I8, F32(0.1), 0)
    tp = b.tensor([rank], I32, data=np.array(perm, I32))
    to = b.tensor([shape[p] for p in perm], I8, F32(0.1), 0)
    b.operator(BO.TRANSPOSE, [ti, tp], [to], OPT.TransposeOptions, fb.TransposeOptionsT())
    y = oracle(b, [ti], [to], [x])
    return Case("transpose", [i32(perm), shape_arr(shape), x], y.tobytes(),
                "%s perm=%s" % (shape, perm))


def _split_layout(rng):
    """Random shape, axis and the outer size / inner size around the axis."""
    rank = int(rng.integers(1, 5))
    shape = [int(v) for v in rng.integers(1, 5, size=rank)]
    axis = int(rng.integers(0, rank))
    outer = int(np.prod(shape[:axis])) if axis > 0 else 1
    inner = int(np.prod(shape[axis + 1:])) if axis + 1 < rank else 1
    return shape, axis, outer, inner


def gen_concatenation(rng):
    shape, axis, outer, inner = _split_layout(rng)
    count = int(rng.integers(1, 5))
    s, z = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    parts = []
    for _ in range(count):
        sh = list(shape)
        sh[axis] = int(rng.integers(1, 4))
        parts.append(rand_i8(rng, sh))
    out_shape = list(shape)
    out_shape[axis] = sum(p.shape[axis] for p in parts)
    b = ModelBuilder()
    tins = [b.tensor(p.shape, I8, s, z) for p in parts]
    to = b.tensor(out_shape, I8, s, z)
    opts = fb.ConcatenationOptionsT()
    opts.axis = axis
    b.operator(BO.CONCATENATION, tins, [to], OPT.ConcatenationOptions, opts)
    y = oracle(b, tins, [to], parts)
    copy = [p.shape[axis] * inner for p in parts]
    return Case("concatenation", [i32([count, outer]), i32(copy)] + parts, y.tobytes(),
                "%d inputs axis=%d out=%s" % (count, axis, out_shape))


def gen_split(rng):
    shape, axis, outer, inner = _split_layout(rng)
    variant = int(rng.integers(0, 3))  # SPLIT, SPLIT_V, UNPACK
    s, z = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    if variant == 0:
        num = int(rng.choice([d for d in range(1, 5) if shape[axis] * d <= 12]))
        shape[axis] *= num
        sizes = [shape[axis] // num] * num
    elif variant == 1:
        num = int(rng.integers(1, 4))
        sizes = [int(v) for v in rng.integers(1, 4, size=num)]
        shape[axis] = sum(sizes)
    else:
        num = shape[axis]
        sizes = [1] * num
    x = rand_i8(rng, shape)
    b = ModelBuilder()
    ti = b.tensor(shape, I8, s, z)
    outs_shapes = []
    for sz in sizes:
        sh = list(shape)
        if variant == 2:
            del sh[axis]
        else:
            sh[axis] = sz
        outs_shapes.append(sh)
    touts = [b.tensor(sh, I8, s, z) for sh in outs_shapes]
    if variant == 0:
        ta = b.tensor([], I32, data=np.array(axis, I32))
        opts = fb.SplitOptionsT()
        opts.numSplits = num
        b.operator(BO.SPLIT, [ta, ti], touts, OPT.SplitOptions, opts)
    elif variant == 1:
        tsz = b.tensor([num], I32, data=np.array(sizes, I32))
        ta = b.tensor([], I32, data=np.array(axis, I32))
        opts = fb.SplitVOptionsT()
        opts.numSplits = num
        b.operator(BO.SPLIT_V, [ti, tsz, ta], touts, OPT.SplitVOptions, opts)
    else:
        opts = fb.UnpackOptionsT()
        opts.num = num
        opts.axis = axis
        b.operator(BO.UNPACK, [ti], touts, OPT.UnpackOptions, opts)
    ys = oracle(b, [ti], touts, [x])
    ys = ys if isinstance(ys, list) else [ys]
    expected = b"".join(y.tobytes() for y in ys)
    copy = [sz * inner for sz in sizes]
    return Case("unpack" if variant == 2 else "split", [i32([num, outer]), i32(copy), x], expected,
                "%s %s axis=%d sizes=%s" % (["SPLIT", "SPLIT_V", "UNPACK"][variant], shape, axis,
                                            sizes))


def gen_pack(rng):
    rank = int(rng.integers(0, 4))
    shape = [int(v) for v in rng.integers(1, 5, size=rank)]
    axis = int(rng.integers(0, rank + 1))
    count = int(rng.integers(1, 5))
    s, z = log_uniform(rng, 0.005, 0.5), rand_zp(rng)
    parts = [rand_i8(rng, shape) for _ in range(count)]
    out_shape = shape[:axis] + [count] + shape[axis:]
    b = ModelBuilder()
    tins = [b.tensor(shape, I8, s, z) for _ in parts]
    to = b.tensor(out_shape, I8, s, z)
    opts = fb.PackOptionsT()
    opts.valuesCount = count
    opts.axis = axis
    b.operator(BO.PACK, tins, [to], OPT.PackOptions, opts)
    y = oracle(b, tins, [to], parts)
    outer = int(np.prod(shape[:axis])) if axis > 0 else 1
    inner = int(np.prod(shape[axis:])) if axis < rank else 1
    return Case("pack", [i32([count, outer]), i32([inner] * count)] + parts, y.tobytes(),
                "%d x %s axis=%d" % (count, shape, axis))


def _py_mbqm(x, m, shift):
    """Double-rounding MultiplyByQuantizedMultiplier on an int64 numpy array
    (|x| < 2^24), used only to SEARCH for near-tie scales below: the expected
    bytes still come from the oracle."""
    x = np.asarray(x, dtype=np.int64) * (1 << max(shift, 0))
    ab = x * m
    n = ab + np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    hi = np.where(n >= 0, n >> 31, -((-n) >> 31))  # C division truncates
    e = max(-shift, 0)
    mask = (1 << e) - 1
    threshold = (mask >> 1) + (hi < 0)
    return (hi >> e) + ((hi & mask) > threshold)


def _near_tie(rng, ratio32, ratio64, xs, tries=20000):
    """Draws (s_in, s_out) until the float32-formed and the double-formed
    multipliers give different results for some x in xs (|result| < 120)."""
    for _ in range(tries):
        a = log_uniform(rng, 0.005, 0.5)
        b = F32(float(a) * rng.uniform(0.3, 2.0))
        m32 = P.quantize_multiplier(ratio32(a, b))
        m64 = P.quantize_multiplier(ratio64(a, b))
        if m32 == m64:
            continue
        xs_arr = np.array(list(xs), dtype=np.int64)
        r32, r64 = _py_mbqm(xs_arr, *m32), _py_mbqm(xs_arr, *m64)
        hits = np.nonzero((r32 != r64) & (np.abs(r32) < 120))[0]
        if hits.size:
            k = int(hits[0])
            return a, b, int(xs_arr[k]), -int(r32[k] + r64[k]) // 2
    return None


def gen_near_tie(rng):
    """Scales chosen so that computing a multiplier from float32 products
    instead of double changes an output byte: pins down which arithmetic
    TFLM's Prepare uses (the answers are in oracle_prepare.py)."""
    kind = ["relu", "leaky_identity", "leaky_alpha", "hard_swish", "fc"][int(rng.integers(0, 5))]
    if kind == "fc":
        for _ in range(20000):
            si, sf = log_uniform(rng, 0.005, 0.5), log_uniform(rng, 0.001, 0.05)
            so = F32(float(si) * float(sf) * rng.uniform(20, 200))
            m32 = P.quantize_multiplier(float(si * sf) / float(so))
            m64 = P.fc_per_tensor_multiplier(si, sf, so)
            if m32 == m64:
                continue
            accs = rng.integers(1, 30000, size=400)
            diff = np.nonzero(_py_mbqm(accs, *m32) != _py_mbqm(accs, *m64))[0]
            for acc in accs[diff[:1]]:
                    b = ModelBuilder()
                    ti = b.tensor([1, 1], I8, si, 0)
                    tw = b.tensor([1, 1], I8, sf, 0, data=np.array([[1]], I8))
                    tb = b.tensor([1], I32, float(si) * float(sf), 0, data=np.array([acc], I32))
                    to = b.tensor([1, 1], I8, so, 0)
                    b.operator(BO.FULLY_CONNECTED, [ti, tw, tb], [to], OPT.FullyConnectedOptions,
                               fb.FullyConnectedOptionsT())
                    x = np.zeros((1, 1), I8)
                    y = oracle(b, [ti], [to], [x])
                    m, s = m64
                    params = i32([1, 1, 1, 0, 0, 0, m, s, -128, 127, 0])
                    return Case("fully_connected", [params, empty_i32(), empty_i32(), x,
                                                    np.array([[1]], I8), np.array([acc], I32)],
                                y.tobytes(), "near-tie FC acc=%d" % acc)
        return None
    if kind == "hard_swish":
        s_in = log_uniform(rng, 0.002, 0.3)
        s_out = F32(float(s_in) * rng.uniform(0.2, 3.0))
        z_in, z_out = rand_zp(rng), rand_zp(rng)
        return _gen_unary(rng, BO.HARD_SWISH, "hard_swish", s_out, z_out,
                          lambda s, z: P.hard_swish_params(s, z, s_out, z_out), s_in=s_in)
    alpha = F32(0.3)
    if kind == "leaky_alpha":
        found = _near_tie(rng, lambda a, b: float(a * alpha / b),
                          lambda a, b: float(a) * float(alpha) / float(b), range(-1, -256, -1))
    else:
        found = _near_tie(rng, lambda a, b: float(a / b), lambda a, b: float(a) / float(b),
                          range(1, 256))
    if found is None:
        return None
    s_in, s_out, xv, z_out = found
    z_out = max(-128, min(127, z_out))
    z_in = (-128 if xv > 127 else 0) if xv > 0 else (127 if xv < -128 else 0)
    x = np.array([xv + z_in], I8)
    b = ModelBuilder()
    ti = b.tensor([1], I8, s_in, z_in)
    to = b.tensor([1], I8, s_out, z_out)
    if kind == "relu":
        b.operator(BO.RELU, [ti], [to])
        params = P.relu_params(s_in, z_in, s_out, z_out)
    else:
        opts = fb.LeakyReluOptionsT()
        opts.alpha = float(alpha)
        b.operator(BO.LEAKY_RELU, [ti], [to], OPT.LeakyReluOptions, opts)
        params = P.leaky_relu_params(s_in, z_in, s_out, z_out, alpha)
    y = oracle(b, [ti], [to], [x])
    return Case("relu" if kind == "relu" else "leaky_relu", [i32(params), x], y.tobytes(),
                "near-tie %s s_in=%r s_out=%r x=%d" % (kind, s_in, s_out, int(x[0])))


# The math-heavy operators come first: they are the point of this check.
GENERATORS = [
    ("conv2d", gen_conv2d),
    ("depthwise_conv2d", gen_depthwise_conv2d),
    ("fully_connected", gen_fully_connected),
    ("add", gen_add),
    ("mul", gen_mul),
    ("softmax", gen_softmax),
    ("logistic", gen_logistic),
    ("tanh", gen_tanh),
    ("logistic16", gen_logistic16),
    ("tanh16", gen_tanh16),
    ("softmax16", gen_softmax16),
    ("leaky_relu", gen_leaky_relu),
    ("avg_pool2d", gen_avg_pool2d),
    ("mean", gen_mean),
    ("resize_bilinear", gen_resize_bilinear),
    ("hard_swish", gen_hard_swish),
    ("transpose_conv", gen_transpose_conv),
    ("near_tie_prepare", gen_near_tie),
    ("sub", gen_sub),
    ("prelu", gen_prelu),
    ("relu", gen_relu),
    ("relu6", gen_relu6),
    ("requantize", gen_requantize),
    ("quantize", gen_quantize),
    ("dequantize", gen_dequantize),
    ("convert_int16", gen_convert_int16),
    ("max_pool2d", gen_max_pool2d),
    ("maximum", gen_maximum),
    ("minimum", gen_minimum),
    ("resize_nearest", gen_resize_nearest),
    ("pad", gen_pad),
    ("strided_slice", gen_strided_slice),
    ("transpose", gen_transpose),
    ("concatenation", gen_concatenation),
    ("split", gen_split),
    ("pack", gen_pack),
]


# Generators that search for their cases are capped (about 0.2 s per case).
SEARCH_CASES_CAP = {"near_tie_prepare": 40}


# --------------------------------------------------------------------------
# driver plumbing
# --------------------------------------------------------------------------

def build_driver(out_path, defines=()):
    fw = os.path.dirname(HERE)
    kernels = sorted(os.path.join(fw, "kernels", f) for f in os.listdir(os.path.join(fw, "kernels"))
                     if f.endswith(".c"))
    cmd = ["gcc", "-std=c99", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-pedantic", "-DTFK_CHECK_SCRATCH_SIZES",
           "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
           "-I" + os.path.join(fw, "include"), "-I" + os.path.join(fw, "kernels"),
           ] + ["-D" + d for d in defines] + [
           os.path.join(HERE, "oracle_driver.c")] + kernels + ["-lm", "-o", out_path]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit("oracle_check: building oracle_driver failed; fix the compile errors above")


def write_cases(path, cases):
    with open(path, "wb") as f:
        for c in cases:
            name = c.op.encode()
            f.write(struct.pack("<i", len(name)) + name)
            f.write(struct.pack("<i", len(c.arrays)))
            for a in c.arrays:
                a = np.ascontiguousarray(a)
                f.write(struct.pack("<ii", DTYPE_CODES[a.dtype], a.size))
                f.write(a.astype(a.dtype.newbyteorder("<")).tobytes())


def read_outputs(path, count):
    outs = []
    with open(path, "rb") as f:
        for _ in range(count):
            (n,) = struct.unpack("<i", f.read(4))
            outs.append(f.read(n))
    return outs


def run_driver(driver, cases, workdir):
    cin = os.path.join(workdir, "cases.bin")
    cout = os.path.join(workdir, "outputs.bin")
    write_cases(cin, cases)
    res = subprocess.run([driver, cin, cout], capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit("oracle_check: oracle_driver failed (see the sanitizer report above)")
    return read_outputs(cout, len(cases))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=200, help="random cases per operator")
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--ops", default="", help="comma-separated subset of operators")
    ap.add_argument("--driver", default="", help="prebuilt oracle_driver (built if omitted)")
    ap.add_argument("--emulate-dsp", action="store_true",
                    help="build the driver with -DTFK_EMULATE_DSP: the kernels' Cortex-M DSP path, "
                         "its instructions written out in C")
    ap.add_argument("--emulate-mve", action="store_true",
                    help="build the driver with -DTFK_EMULATE_MVE and -DTFK_EMULATE_DSP: the "
                         "Cortex-M55 paths (Helium dot products, DSP depthwise), written out in C")
    ap.add_argument("--show", type=int, default=3, help="failing cases shown per operator")
    args = ap.parse_args()

    wanted = [o for o in args.ops.split(",") if o]
    unknown = [o for o in wanted if o not in dict(GENERATORS)]
    if unknown:
        raise SystemExit("oracle_check: unknown operator(s) %s; choose from %s"
                         % (",".join(unknown), ",".join(n for n, _ in GENERATORS)))
    gens = [(n, g) for n, g in GENERATORS if not wanted or n in wanted]

    with tempfile.TemporaryDirectory(prefix="tfk_oracle_") as work:
        driver = args.driver or os.path.join(work, "oracle_driver")
        if not args.driver:
            defines = ()
            if args.emulate_dsp or args.emulate_mve:
                defines += ("TFK_EMULATE_DSP",)
            if args.emulate_mve:
                defines += ("TFK_EMULATE_MVE",)
            build_driver(driver, defines)
        total_cases = total_bytes = total_bad = 0
        failed_ops = []
        for name, gen in gens:
            rng = np.random.default_rng([args.seed, zlib_crc(name)])
            t0 = time.time()
            cases = []
            wanted_cases = min(args.cases, SEARCH_CASES_CAP.get(name, args.cases))
            while len(cases) < wanted_cases:
                c = gen(rng)
                if c is not None:
                    cases.append(c)
            outs = run_driver(driver, cases, work)
            bad_cases = 0
            bad_bytes = 0
            nbytes = 0
            shown = 0
            for c, got in zip(cases, outs):
                nbytes += len(c.expected)
                if got != c.expected:
                    exp = np.frombuffer(c.expected, np.uint8)
                    g = np.frombuffer(got, np.uint8)
                    diff = int(np.sum(exp != g)) if exp.size == g.size else max(exp.size, g.size)
                    bad_cases += 1
                    bad_bytes += diff
                    if shown < args.show:
                        shown += 1
                        print("  MISMATCH %s: %s (%d of %d bytes differ)"
                              % (name, c.desc, diff, len(c.expected)))
            total_cases += len(cases)
            total_bytes += nbytes
            total_bad += bad_bytes
            status = "ok" if bad_cases == 0 else "FAIL"
            print("%-18s %5d cases %8d bytes %6d differing bytes  %s  (%.1fs)"
                  % (name, len(cases), nbytes, bad_bytes, status, time.time() - t0))
            sys.stdout.flush()
            if bad_cases:
                failed_ops.append(name)
        print("oracle_check: %d operators, %d cases, %d bytes compared, %d differing bytes"
              % (len(gens), total_cases, total_bytes, total_bad))
        passed = len(gens) - len(failed_ops)
        print("%d passed, %d failed" % (passed, len(failed_ops)))
        return 1 if failed_ops else 0


def zlib_crc(name):
    import zlib
    return zlib.crc32(name.encode())


if __name__ == "__main__":
    sys.exit(main())
