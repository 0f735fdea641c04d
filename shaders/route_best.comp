#version 450
#include "common.glsl"
#include "layouts.glsl"

// Routing, the twin of CpuBackend.BestReplica: the candidate with the most prefix blocks, then the fewest
// uncomputed tokens, then the lowest position. One pass reduces each run of SIM_LOCAL_SIZE x ITEMS_PER_LANE
// candidates to its winner's position; RouteKernel repeats passes over the winners until one is left. The
// order is total (positions break ties), so every reduction order finds the CPU's answer.

#define ITEMS_PER_LANE 16
#define NONE 0xFFFFFFFFu

layout(set = 0, binding = 0) readonly buffer Scores { ReplicaScore replicas[]; };
layout(set = 0, binding = 1) readonly buffer Competing { uint competing[]; };  // positions in this pass (not read in the first)
layout(set = 0, binding = 2) writeonly buffer Winners { uint winners[]; };

layout(push_constant) uniform Arguments
{
    uint count;      // candidates in this pass
    uint firstPass;  // 1: candidate i is position i; 0: it is competing[i]
} args;

shared uint sharedBest[SIM_LOCAL_SIZE];

bool better(uint a, uint b)
{
    if (b == NONE) return a != NONE;
    if (a == NONE) return false;
    ReplicaScore x = replicas[a];
    ReplicaScore y = replicas[b];
    if (x.prefixBlocks != y.prefixBlocks) return x.prefixBlocks > y.prefixBlocks;
    if (x.uncomputedTokens != y.uncomputedTokens) return x.uncomputedTokens < y.uncomputedTokens;
    return a < b;
}

void main()
{
    uint lane = gl_LocalInvocationID.x;
    uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    uint begin = group * SIM_LOCAL_SIZE * ITEMS_PER_LANE;
    if (begin >= args.count)
        return;  // a whole workgroup past the end (dispatches wrap into full rows)
    uint best = NONE;
    for (uint k = 0u; k < ITEMS_PER_LANE; k++)
    {
        uint i = begin + k * SIM_LOCAL_SIZE + lane;
        if (i >= args.count) break;
        uint candidate = args.firstPass != 0u ? i : competing[i];
        if (better(candidate, best)) best = candidate;
    }
    sharedBest[lane] = best;
    barrier();
    for (uint stride = SIM_LOCAL_SIZE / 2u; stride > 0u; stride >>= 1)
    {
        if (lane < stride && better(sharedBest[lane + stride], sharedBest[lane])) sharedBest[lane] = sharedBest[lane + stride];
        barrier();
    }
    if (lane == 0u)
        winners[group] = sharedBest[0];
}
