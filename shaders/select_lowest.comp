#version 450
#include "common.glsl"

// Eviction's selection, the twin of CpuBackend.SelectLowest: one invocation per key counts the keys ranked before
// it (a smaller key, or an equal key at a lower index); those ranked below k write their index at their rank.
// Ranks are distinct, so the output is the k lowest in ascending order, exactly as the CPU sorts them.

layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 1) writeonly buffer Lowest { int lowest[]; };

layout(push_constant) uniform Arguments
{
    uint count;
    uint k;
} args;

void main()
{
    uint i = simIndex();
    if (i >= args.count)
        return;
    float key = keys[i];
    uint rank = 0u;
    for (uint j = 0u; j < args.count && rank < args.k; j++)
    {
        float other = keys[j];
        if (other < key || (other == key && j < i))
            rank++;
    }
    if (rank < args.k)
        lowest[rank] = int(i);
}
