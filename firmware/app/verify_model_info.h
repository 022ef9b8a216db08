/*
 * Model facts the verification firmware reports and uses, generated per model into verify_model_info.c
 * (templates/protocol/verify_model_info.c.ftl) by the verify command. Tensor indices are the .tflite's.
 */
#ifndef TF_VERIFY_MODEL_INFO_H
#define TF_VERIFY_MODEL_INFO_H

#include <stdint.h>
#include "tf_protocol.h"

extern const tf_tensor_info_t verify_inputs[];
extern const uint8_t verify_input_count;
extern const tf_tensor_info_t verify_outputs[];
extern const uint8_t verify_output_count;
/* first output tensor of each operator, in execution order (0xFFFF: none) */
extern const uint16_t verify_op_outputs[];
extern const uint16_t verify_op_count;
extern const uint16_t verify_tensor_count;
/* one slot per operator, written by the per-op hook when INVOKE asks for hashes */
extern uint64_t verify_op_hashes[];
#ifdef TF_PROFILE_OPS
/* one slot per operator: the counter's advance since the previous operator ended, written by the per-op hook */
extern uint32_t verify_op_counts[];
#endif

#endif
