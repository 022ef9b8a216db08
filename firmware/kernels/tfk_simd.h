/*
 * tfk_simd.h - private to the kernels that are not yet split per instruction
 * set (FULLY_CONNECTED, AVERAGE_POOL_2D, ADD/SUB): they still pick their path
 * with the preprocessor, through the dot products named here, which are the
 * best set tfk_dot.h offers on the target.  New kernels call the explicit
 * _portable / _dsp / _mve helpers of tfk_dot.h and are chosen by the generator.
 */
#ifndef TFK_SIMD_H
#define TFK_SIMD_H

#include "tfk_dot.h"

#if TFK_USE_MVE
#define tfk_dot1_s8 tfk_dot1_s8_mve
#define tfk_dot2_s8 tfk_dot2_s8_mve
#define tfk_dot2x2_s8 tfk_dot2x2_s8_mve
#elif TFK_USE_DSP
#define tfk_dot1_s8 tfk_dot1_s8_dsp
#define tfk_dot2_s8 tfk_dot2_s8_dsp
#define tfk_dot2x2_s8 tfk_dot2x2_s8_dsp
#else
#define tfk_dot1_s8 tfk_dot1_s8_portable
#define tfk_dot2_s8 tfk_dot2_s8_portable
#define tfk_dot2x2_s8 tfk_dot2x2_s8_portable
#endif

#endif /* TFK_SIMD_H */
