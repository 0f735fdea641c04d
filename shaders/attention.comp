#version 450
#include "common.glsl"

// One query's attention over one sequence, the twin of CpuBackend.AttentionProbabilities: one workgroup;
// logit i = q.k_i - recencyDecay * (count - 1 - i), then softmax. Each thread takes every SIM_LOCAL_SIZE-th
// position; the maximum and the sum are reduced through shared memory. Logits are computed in the CPU's order
// and kept from contraction into fused multiply-adds (precise), the sum in double; exp differs from the CPU's
// within a few ulps, so results agree to a relative 1e-5.

#define KEY_DIM 8

layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 1) buffer Probabilities { float probabilities[]; };

layout(push_constant) uniform Arguments
{
    uint count;
    float recencyDecay;
    float q0, q1, q2, q3, q4, q5, q6, q7;
} args;

shared float sharedMax[SIM_LOCAL_SIZE];
shared double sharedSum[SIM_LOCAL_SIZE];

void main()
{
    uint lane = gl_LocalInvocationID.x;
    float q[KEY_DIM] = float[KEY_DIM](args.q0, args.q1, args.q2, args.q3, args.q4, args.q5, args.q6, args.q7);
    float localMax = -1.0 / 0.0;
    for (uint i = lane; i < args.count; i += SIM_LOCAL_SIZE)
    {
        precise float logit = -args.recencyDecay * float(args.count - 1u - i);
        for (uint j = 0u; j < KEY_DIM; j++)
            logit += q[j] * keys[i * KEY_DIM + j];
        probabilities[i] = logit;
        localMax = max(localMax, logit);
    }
    sharedMax[lane] = localMax;
    barrier();
    for (uint stride = SIM_LOCAL_SIZE / 2u; stride > 0u; stride >>= 1)
    {
        if (lane < stride) sharedMax[lane] = max(sharedMax[lane], sharedMax[lane + stride]);
        barrier();
    }
    float maximum = sharedMax[0];
    double localSum = 0.0;
    for (uint i = lane; i < args.count; i += SIM_LOCAL_SIZE)
    {
        float e = exp(probabilities[i] - maximum);
        probabilities[i] = e;
        localSum += double(e);
    }
    sharedSum[lane] = localSum;
    barrier();
    for (uint stride = SIM_LOCAL_SIZE / 2u; stride > 0u; stride >>= 1)
    {
        if (lane < stride) sharedSum[lane] += sharedSum[lane + stride];
        barrier();
    }
    float inverse = float(1.0 / sharedSum[0]);
    for (uint i = lane; i < args.count; i += SIM_LOCAL_SIZE)
        probabilities[i] *= inverse;
}
