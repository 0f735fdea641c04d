#version 450
#ifdef SIM_SUBGROUPS
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
#include "common.glsl"
#include "layouts.glsl"

// Token mode's attention for a whole step over resident keys, the twin of CpuResidentAttention.Probabilities: one
// workgroup per query (every query of every sequence of every replica in one dispatch) takes the softmax of
// attention.comp over its positions (attention_softmax.glsl) into its own range of the output, which goes back to the
// host: the policies and the step's measures read every probability.

#define KEY_DIM 8

layout(set = 0, binding = 0) readonly buffer Queries { AttentionQuery queries[]; };
layout(set = 0, binding = 1) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 2) buffer Probabilities { float probabilities[]; };

layout(push_constant) uniform Arguments
{
    uint count;   // queries
} args;

#include "attention_softmax.glsl"

void main()
{
    // Workgroups past the last query (the dispatch wraps into y rows) leave together: control stays uniform.
    uint s = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (s >= args.count)
        return;
    AttentionQuery query = queries[s];
    attendSoftmax(uint(query.firstPosition), uint(query.outputOffset), uint(query.count),
        float[KEY_DIM](query.q0, query.q1, query.q2, query.q3, query.q4, query.q5, query.q6, query.q7), query.recencyDecay);
}
