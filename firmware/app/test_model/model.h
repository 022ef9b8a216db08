/*
 * A three-operator stand-in for a generated model, with the API the verification firmware links against. Used by
 * the serial and verify tests, independently of the code generator. Its arithmetic is mirrored in the tests' FakeModel.java.
 *   tensor 0 in0 int8[1,20], 1 in1 int8[1,7], 2 t2 int8[1,20], 3 out0 int8[1,20], 4 out1 int8[1,10]
 *   op 0: t2 = in0 + 3          op 1: out0[i] = (t2[i] * 2) ^ in1[i % 7]          op 2: out1[j] = out0[j] + out0[j + 10]
 */
#ifndef FAKE_MODEL_H
#define FAKE_MODEL_H

#include <stdint.h>

#ifndef MODEL_HASH
#define MODEL_HASH "fake-model-0001"
#endif
#define MODEL_ARENA_BYTES 77u
#define MODEL_HAS_OP_HOOK 1
#define MODEL_STATE_BYTES 0u

int model_invoke(void);
void model_reset(void); /* stateless: nothing to reset */
void *model_input(int i);
void *model_output(int i);
const void *model_tensor(int index, uint32_t *size);

#endif
