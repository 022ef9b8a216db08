/*
 * FULLY_CONNECTED int8: TFLite reference_integer_ops::FullyConnected
 * (per-tensor) and FullyConnectedPerChannel.
 *
 * With symmetric weights (filter_offset == 0, what TFLite's int8 converter
 * produces) the sums are plain int8 dot products with the input offset added
 * on the fly; two output rows share every input load.  Asymmetric weights take
 * the plain loop.  Helium variant (MVE: Cortex-M55):
 * four output rows requantized as one vector.
 * The generator (OpEmitter.fcKernel) chooses the variant from the board's core.
 */
#include "tfk_dot.h"
#include "tfk_kernels.h"
#include "tfk_math.h"

#if TFK_MVE_RQ

#define TFK_FC_DOT1 tfk_dot1_s8_mve
#define TFK_FC_DOT2 tfk_dot2_s8_mve
#define TFK_FC_MVE 1
#include "tfk_fully_connected_body.h"

void tfk_fully_connected_s8_mve(const tfk_fc_params* params, const tfk_fc_dims* dims,
                                const int8_t* input, const int8_t* filter, const int32_t* bias,
                                int8_t* output) {
  fc_s8(params, NULL, dims, input, filter, bias, output);
}

void tfk_fully_connected_per_channel_s8_mve(const tfk_fc_params* params,
                                            const tfk_per_channel_quant* quant,
                                            const tfk_fc_dims* dims, const int8_t* input,
                                            const int8_t* filter, const int32_t* bias,
                                            int8_t* output) {
  fc_s8(params, quant, dims, input, filter, bias, output);
}

#endif /* TFK_MVE_RQ */
