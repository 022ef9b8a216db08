"""TFLM Prepare() math in Python, used to fill the tfk kernel parameters.

Each function mirrors one helper of TensorFlow Lite / TFLM
(quantization_util.cc, kernel_util.cc, padding.h and the kernels' Prepare
functions) as the INSTALLED oracle behaves: every requantization multiplier
is computed from the float32 scales with double arithmetic (some older TFLM
sources use float32 products for RELU, LEAKY_RELU, HARD_SWISH and the
per-tensor FULLY_CONNECTED multiplier; the oracle provably does not, see the
near-tie cases in oracle_check.py), while activation clamps and RELU6 bounds
divide in float32.  Float32 arithmetic is done with numpy.float32, double
arithmetic with Python floats.
"""

import math

import numpy as np

F32 = np.float32


def tflite_round(x):
    """TfLiteRound / std::round: half away from zero."""
    return math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)


def quantize_multiplier(real):
    """QuantizeMultiplier (double rounding build): returns (multiplier, shift)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = int(tflite_round(q * (1 << 31)))
    assert q_fixed <= (1 << 31)
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift = 0
        q_fixed = 0
    return q_fixed, shift


def calculate_input_radius(input_integer_bits, input_left_shift, total_signed_bits=31):
    max_input_rescaled = (1.0 * ((1 << input_integer_bits) - 1) *
                          (1 << (total_signed_bits - input_integer_bits)) /
                          (1 << input_left_shift))
    return int(math.floor(max_input_rescaled))


def activation_range(activation, scale, zero_point, qmin=-128, qmax=127):
    """CalculateActivationRangeQuantized for NONE/RELU/RELU_N1_TO_1/RELU6."""
    def quantize(f):
        return zero_point + int(tflite_round(float(F32(f) / F32(scale))))
    if activation == 0:
        return qmin, qmax
    if activation == 1:
        return max(qmin, quantize(0.0)), qmax
    if activation == 2:
        return max(qmin, quantize(-1.0)), min(qmax, quantize(1.0))
    if activation == 3:
        return max(qmin, quantize(0.0)), min(qmax, quantize(6.0))
    raise ValueError("unsupported fused activation %d" % activation)


def compute_out_size(same_padding, image_size, filter_size, stride, dilation=1):
    effective = (filter_size - 1) * dilation + 1
    if same_padding:
        return (image_size + stride - 1) // stride
    return (image_size + stride - effective) // stride


def compute_padding(stride, dilation, in_size, filter_size, out_size):
    """ComputePaddingWithOffset: returns the leading padding (offset dropped)."""
    effective = (filter_size - 1) * dilation + 1
    total = (out_size - 1) * stride + effective - in_size
    total = total if total > 0 else 0
    return total // 2


def per_channel_multipliers(input_scale, filter_scales, output_scale):
    """PopulateConvolutionQuantizationParams (double products)."""
    mults, shifts = [], []
    for fs in filter_scales:
        eff = float(F32(input_scale)) * float(F32(fs)) / float(F32(output_scale))
        m, s = quantize_multiplier(eff)
        mults.append(m)
        shifts.append(s)
    return mults, shifts


def fc_per_tensor_multiplier(input_scale, filter_scale, output_scale):
    """FULLY_CONNECTED per-tensor multiplier.  Older TFLM sources form the
    input*filter product in float32; the installed oracle provably uses double
    (near-tie cases in oracle_check.py pin this down)."""
    product = float(F32(input_scale)) * float(F32(filter_scale))
    return quantize_multiplier(product / float(F32(output_scale)))


def add_params(s1, z1, s2, z2, so, zo, activation):
    """TFLM CalculateOpDataAdd for int8 (also SUB)."""
    left_shift = 20
    twice_max = 2 * float(max(F32(s1), F32(s2)))
    m1, sh1 = quantize_multiplier(float(F32(s1)) / twice_max)
    m2, sh2 = quantize_multiplier(float(F32(s2)) / twice_max)
    mo, sho = quantize_multiplier(twice_max / ((1 << left_shift) * float(F32(so))))
    assert sh1 <= 0 and sh2 <= 0 and sho <= 0
    amin, amax = activation_range(activation, so, zo)
    return [-z1, -z2, zo, left_shift, m1, sh1, m2, sh2, mo, sho, amin, amax]


def mul_params(s1, z1, s2, z2, so, zo, activation):
    """TFLM CalculateOpDataMul for int8."""
    real = float(F32(s1)) * float(F32(s2)) / float(F32(so))
    m, s = quantize_multiplier(real)
    amin, amax = activation_range(activation, so, zo)
    return [-z1, -z2, zo, m, s, amin, amax]


def softmax_params(beta, input_scale):
    """PreprocessSoftmaxScaling + diff_min as in TFLM CalculateSoftmaxParams."""
    scaled_diff_integer_bits = 5
    real = min(float(F32(beta)) * float(F32(input_scale)) *
               (1 << (31 - scaled_diff_integer_bits)), (1 << 31) - 1.0)
    m, left_shift = quantize_multiplier(real)
    assert left_shift >= 0
    diff_min = -calculate_input_radius(scaled_diff_integer_bits, left_shift)
    return [m, left_shift, diff_min]


def logistic_tanh_params(input_scale, input_zero_point):
    """TFLM CalculateArithmeticOpDataLogistic / Tanh for int8 (4 integer bits)."""
    input_integer_bits = 4
    real = float(F32(input_scale)) * float(1 << (31 - input_integer_bits))
    q, left_shift = math.frexp(real)
    mult = int(tflite_round(q * (1 << 31)))
    radius = calculate_input_radius(input_integer_bits, left_shift, 31)
    return [input_zero_point, radius, mult, left_shift]


def relu_params(s_in, z_in, s_out, z_out):
    """TFLM CalculateReluOpData<int8_t>.  The multiplier is a double division in
    the installed oracle (older sources divide in float32)."""
    m, s = quantize_multiplier(float(F32(s_in)) / float(F32(s_out)))
    amin = max(-128, z_out + int(tflite_round(float(F32(0.0) / F32(s_out)))))
    return [z_in, z_out, m, s, amin, 127]


def relu6_bounds(s_in, z_in):
    """TFLM Relu6Prepare: [zero point, FloatToQuantizedType(6.0)]."""
    six = z_in + int(tflite_round(float(F32(6.0) / F32(s_in))))
    return [z_in, max(-128, min(127, six))]


def leaky_relu_params(s_in, z_in, s_out, z_out, alpha):
    """TFLM CalculateOpDataLeakyRelu.  Both ratios are formed in double in the
    installed oracle (older sources use float32)."""
    ma, sa = quantize_multiplier(float(F32(s_in)) * float(F32(alpha)) / float(F32(s_out)))
    mi, si = quantize_multiplier(float(F32(s_in)) / float(F32(s_out)))
    return [z_in, z_out, ma, sa, mi, si]


def downscale_int32_to_int16_multiplier(m):
    rounding_offset = 1 << 15
    if m >= (1 << 31) - 1 - rounding_offset:
        return 32767
    return (m + rounding_offset) >> 16


def hard_swish_params(s_in, z_in, s_out, z_out):
    """TFLM HardSwishPrepare.  The scale ratios are double in the installed
    oracle (older sources compute them in float32)."""
    hires_input_scale = float(F32(s_in)) / 128.0
    reluish_scale = 3.0 / 32768.0
    om, oe = quantize_multiplier(hires_input_scale / float(F32(s_out)))
    rm, re_ = quantize_multiplier(hires_input_scale / reluish_scale)
    assert oe <= 0
    return [z_in, z_out, downscale_int32_to_int16_multiplier(rm), re_,
            downscale_int32_to_int16_multiplier(om), oe]


def prelu_params(s_in, z_in, s_alpha, z_alpha, s_out, z_out):
    """TFLM PreluPrepare (double products)."""
    m1, s1 = quantize_multiplier(float(F32(s_in)) / float(F32(s_out)))
    m2, s2 = quantize_multiplier(float(F32(s_in)) * float(F32(s_alpha)) / float(F32(s_out)))
    return [-z_in, -z_alpha, z_out, m1, s1, m2, s2]


def requantize_params(s_in, z_in, s_out, z_out):
    """TFLM quantize Prepare for integer -> integer."""
    m, s = quantize_multiplier(float(F32(s_in)) / float(F32(s_out)))
    return [z_in, z_out, m, s]


def mean_multiplier(s_in, s_out):
    """TFLM PrepareMeanOrSumHelper."""
    return quantize_multiplier(float(F32(s_in)) / float(F32(s_out)))


# ---------------------------------------------------------------- int16 (16x8)

def checked_log2(x):
    """CheckedLog2 in float32: (is a power of two within 0.1%, rounded log2)."""
    x_log2 = F32(F32(math.log(F32(x))) * F32(F32(1.0) / F32(math.log(F32(2.0)))))
    rounded = F32(tflite_round(float(x_log2)))
    return abs(float(F32(x_log2 - rounded))) < 1e-3, int(rounded)


def sigmoid16_params(input_scale, tanh):
    """Int16 LOGISTIC / TANH Prepare: (multiplier, right shift) onto the
    1/(3*4096) table grid, TFLM's power-of-two case already turned into
    multiplier 3 << k, shift 0.  None when TFLM cannot represent the scale."""
    pot, log2 = checked_log2(input_scale)
    left_shift = 12 + log2
    if pot and (left_shift == 0 or (tanh and left_shift == 1)):
        return [3 << left_shift, 0]
    multiplier = float(input_scale) * 4096.0 * 3.0
    shift = 0
    while multiplier <= 32767.0 / 2.0 and shift <= 30:
        shift += 1
        multiplier *= 2.0
    if multiplier > 32767.0:
        return None
    return [int(multiplier), shift]


def softmax16_params(beta, input_scale):
    """Int16 SOFTMAX Prepare: the difference rescale (multiplier, shift)."""
    return list(quantize_multiplier(float(F32(input_scale)) * float(F32(beta)) / (10.0 / 65535.0)))


def _segment_table(func, lo, hi):
    """513 Q0.15 interpolation samples of func on [lo, hi], computed in
    float32 step by step, each segment start nudged by half its midpoint
    interpolation error (gen_lut with int16 input and output)."""
    lo, hi = F32(lo), F32(hi)
    step = F32((hi - lo) / F32(512))
    half = F32(step / F32(2))
    k = F32(32768.0)

    def rnd(v):
        return F32(tflite_round(float(v)))

    table = []
    for i in range(512):
        x = F32(lo + F32(F32(i) * step))
        start = func(x)
        middle = func(F32(x + half))
        end = func(F32(lo + F32(F32(i + 1) * step)))
        start_code = rnd(F32(start * k))
        interp = rnd(F32(F32(F32(end * k) + start_code) / F32(2)))
        bias = rnd(F32(F32(interp - rnd(F32(middle * k))) / F32(2)))
        table.append(int(min(max(float(F32(start_code - bias)), -32768.0), 32767.0)))
    table.append(int(min(max(float(rnd(F32(func(hi) * k))), -32768.0), 32767.0)))
    return table


def softmax16_tables():
    """(exp on [-10, 0], 1/(1+x) on [0, 1]) as TFLM's int16 softmax Prepare builds them."""
    exp_table = _segment_table(lambda v: F32(math.exp(float(v))), -10.0, 0.0)
    reciprocal = _segment_table(lambda v: F32(F32(1.0) / F32(F32(1.0) + v)), 0.0, 1.0)
    return exp_table, reciprocal
