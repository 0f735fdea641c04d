#version 450
#ifdef SIM_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"

// One query's attention over one sequence, the twin of CpuBackend.AttentionProbabilities: one workgroup;
// logit i = q.k_i - recencyDecay * (count - 1 - i), then softmax (attention_softmax.glsl). Built twice: with
// SIM_SUBGROUPS the maximum is reduced by subgroup operations.

#define KEY_DIM 8

layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 1) buffer Probabilities { float probabilities[]; };

layout(push_constant) uniform Arguments
{
    uint count;
    float recencyDecay;
    float q0, q1, q2, q3, q4, q5, q6, q7;
} args;

#include "attention_softmax.glsl"

void main()
{
    attendSoftmax(0u, 0u, args.count, float[KEY_DIM](args.q0, args.q1, args.q2, args.q3, args.q4, args.q5, args.q6, args.q7), args.recencyDecay);
}
