#version 450
#ifdef SIM_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"
#include "layouts.glsl"

// Token mode's attention step over resident columns, the twin of CpuResidentAttention.Step: one workgroup per
// sequence (all sequences of all replicas in one dispatch) takes its query's softmax over its positions
// (attention_softmax.glsl), adds each probability to the position's accumulated score (the fresh slot's restarting
// from 0), and writes the slot with the lowest score but the fresh one, ties to the lower slot: H2O's victim. Only
// the victims need to leave the device.

#define KEY_DIM 8

layout(set = 0, binding = 0) readonly buffer Sequences { SequenceQuery sequences[]; };
layout(set = 0, binding = 1) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 2) buffer Probabilities { float probabilities[]; };
layout(set = 0, binding = 3) buffer Scores { float scores[]; };
layout(set = 0, binding = 4) writeonly buffer Victims { int victims[]; };

layout(push_constant) uniform Arguments
{
    uint count;   // sequences
} args;

#include "attention_softmax.glsl"

shared float sharedLowest[SIM_LOCAL_SIZE];
shared int sharedSlot[SIM_LOCAL_SIZE];

// Whether (score a, slot a) comes before (score b, slot b); slot -1 (none) comes after everything.
bool before(float scoreA, int slotA, float scoreB, int slotB)
{
    return slotA >= 0 && (slotB < 0 || scoreA < scoreB || (scoreA == scoreB && slotA < slotB));
}

void main()
{
    // Workgroups past the last sequence (the dispatch wraps into y rows) leave together: control stays uniform.
    uint s = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (s >= args.count)
        return;
    SequenceQuery sequence = sequences[s];
    uint base = uint(sequence.firstPosition), count = uint(sequence.count);
    attendSoftmax(base, base, count, float[KEY_DIM](sequence.q0, sequence.q1, sequence.q2, sequence.q3, sequence.q4, sequence.q5, sequence.q6, sequence.q7),
        sequence.recencyDecay);
    // Each lane reads back the probabilities it wrote itself (the same strided positions): no barrier needed.
    uint lane = gl_LocalInvocationID.x;
    float lowest = 0.0;
    int slot = -1;
    for (uint i = lane; i < count; i += SIM_LOCAL_SIZE)
    {
        bool fresh = int(i) == sequence.freshSlot;
        precise float score = (fresh ? 0.0 : scores[base + i]) + probabilities[base + i];
        scores[base + i] = score;
        if (!fresh && before(score, int(i), lowest, slot))
        {
            lowest = score;
            slot = int(i);
        }
    }
    sharedLowest[lane] = lowest;
    sharedSlot[lane] = slot;
    barrier();
    for (uint stride = SIM_LOCAL_SIZE / 2u; stride > 0u; stride >>= 1)
    {
        if (lane < stride && before(sharedLowest[lane + stride], sharedSlot[lane + stride], sharedLowest[lane], sharedSlot[lane]))
        {
            sharedLowest[lane] = sharedLowest[lane + stride];
            sharedSlot[lane] = sharedSlot[lane + stride];
        }
        barrier();
    }
    if (lane == 0u)
        victims[s] = sharedSlot[0];
}
