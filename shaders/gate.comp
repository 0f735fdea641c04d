#version 450
#include "common.glsl"

// MoE gating, the twin of CpuBackend.GateTopK: one invocation per token takes the top-k of its row of router
// logits (ties to the lower expert index), writes them best first, and counts each pick in the expert's load.
// Built with SIM_SEGMENTS (gate_segments, the resident step over every replica's tokens): each token names its segment,
// and its picks count in that segment's row of the loads (segment x experts + expert).

layout(set = 0, binding = 0) readonly buffer Logits { float logits[]; };
layout(set = 0, binding = 1) writeonly buffer Chosen { int chosen[]; };
layout(set = 0, binding = 2) buffer Load { int expertLoad[]; };
#ifdef SIM_SEGMENTS
layout(set = 0, binding = 3) readonly buffer Segments { int segmentOf[]; };
#endif

layout(push_constant) uniform Arguments
{
    uint tokens;
    uint experts;
    uint topK;
} args;

void main()
{
    uint t = simIndex();
    if (t >= args.tokens)
        return;
    uint row = t * args.experts;
#ifdef SIM_SEGMENTS
    uint loadRow = uint(segmentOf[t]) * args.experts;
#else
    uint loadRow = 0u;
#endif
    // Up to 256 experts: a bit per expert marks those already picked.
    uint picked[8] = uint[8](0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u);
    for (uint k = 0u; k < args.topK; k++)
    {
        int best = -1;
        for (uint e = 0u; e < args.experts; e++)
        {
            if ((picked[e >> 5] & (1u << (e & 31u))) != 0u)
                continue;
            if (best < 0 || logits[row + e] > logits[row + uint(best)])
                best = int(e);
        }
        picked[uint(best) >> 5] |= 1u << (uint(best) & 31u);
        chosen[t * args.topK + k] = best;
        atomicAdd(expertLoad[loadRow + uint(best)], 1);
    }
}
