#version 450
#include "common.glsl"
#include "layouts.glsl"

// Eviction scores, the twin of CpuBackend.ScoreEviction: one invocation per cached block. Doubles throughout
// (the scores order blocks by time), so results equal the CPU's bit for bit.
// Built twice: with the call's one inflation; and with SIM_ENTRY_INFLATION (evict_score_entry, ResidentBlocks) each
// block's own, the inflation when it became evictable, which size-aware eviction's score keeps (GreedyDual-Size).

layout(set = 0, binding = 0) readonly buffer Usage { BlockUsage blocks[]; };
layout(set = 0, binding = 1) writeonly buffer Scores { double scores[]; };
#ifdef SIM_ENTRY_INFLATION
layout(set = 0, binding = 2) readonly buffer EntryInflations { double entryInflations[]; };
#define INFLATION(i) entryInflations[i]
#else
#define INFLATION(i) args.inflationScore
#endif

layout(push_constant) uniform Arguments
{
    uint count;
    uint policy;   // 0 lru, 1 lfu, 2 fifo, 3 size-aware, 4 predicted, 5 belady (Sim.Core.Kv.EvictionPolicy)
    double inflationScore;   // without SIM_ENTRY_INFLATION
} args;

void main()
{
    uint i = simIndex();
    if (i >= args.count)
        return;
    BlockUsage b = blocks[i];
    double score;
    if (args.policy == 1u)
        score = double(b.accessCount);
    else if (args.policy == 2u)
        score = b.cachedAtS;
    else if (args.policy == 3u)
        score = INFLATION(i) + double(b.accessCount) / double(max(1, b.chainBlocks));
    else if (args.policy == 4u)
        score = b.lastAccessS + (b.predictedReuse != 0 ? 4294967296.0LF : 0.0LF); // ReusePredictor.ReusedOffsetS
    else if (args.policy == 5u)
        score = -double(b.nextUseRank);
    else
        score = b.lastAccessS;
    scores[i] = score;
}
