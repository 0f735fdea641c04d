#version 450
#include "common.glsl"

// Token compression's ranking keys, the twin of CpuBackend.TokenKeys: one invocation per resident token of a copy,
// from its columns (Sim.Core.Tokens.SequenceTokens). One case per registered policy id, in the order of
// Sim.Core.Tokens.Policies.CompressionPolicies (each case mirrors that policy's rule file); +inf marks a token the
// policy never evicts. An id without a case writes NaN, which the parity tests catch. Keys are copies of the columns
// or exact integer arithmetic converted once, so they equal the CPU's bit for bit.

layout(set = 0, binding = 0) readonly buffer Positions { int positions[]; };
layout(set = 0, binding = 1) readonly buffer Scores { float scores[]; };
layout(set = 0, binding = 2) readonly buffer LastImportant { int lastImportantSteps[]; };
layout(set = 0, binding = 3) readonly buffer Recurrence { int maxRecurrenceIntervals[]; };
layout(set = 0, binding = 4) writeonly buffer Keys { float keys[]; };

layout(push_constant) uniform Arguments
{
    uint count;
    uint policy;
    int sequencePositions;
    int sinks;
    int recentTokens;
    int observationWindow;
} args;

#define KEPT uintBitsToFloat(0x7f800000u)      // +inf: never evicted
#define NO_CASE uintBitsToFloat(0x7fc00000u)   // NaN: the id has no case here
#define LOWEST uintBitsToFloat(0xff7fffffu)    // float.MinValue

// The key of an unprotected token, or +inf when the first `first` or the last `last` positions protect it.
float ranked(int position, int first, int last, float key)
{
    return position < first || position >= args.sequencePositions - last ? KEPT : key;
}

void main()
{
    uint i = simIndex();
    if (i >= args.count)
        return;
    int position = positions[i];
    float score = scores[i];
    float key;
    switch (args.policy)
    {
        case 0u: // full: everything kept
            key = KEPT;
            break;
        case 1u: // window: the oldest first
            key = ranked(position, 0, 0, float(position));
            break;
        case 2u: // streaming: the sinks kept, then the oldest first
            key = ranked(position, args.sinks, 0, float(position));
            break;
        case 3u: // h2o: the recent kept, then accumulated attention
            key = ranked(position, 0, args.recentTokens, score);
            break;
        case 4u: // snapkv: the window kept, then the pooled vote
            key = ranked(position, 0, args.observationWindow, score);
            break;
        case 5u: // lazy: the recent kept, then MRI minus the steps since last important; never important lowest
        {
            int last = lastImportantSteps[i];
            float overdue = last < 0 ? LOWEST : float(maxRecurrenceIntervals[i] - (args.sequencePositions - 1 - last));
            key = ranked(position, 0, args.recentTokens, overdue);
            break;
        }
        case 6u: // cake: the window kept, then the indicator
            key = ranked(position, 0, args.observationWindow, score);
            break;
        case 7u: // mikv: as h2o
            key = ranked(position, 0, args.recentTokens, score);
            break;
        default:
            key = NO_CASE;
            break;
    }
    keys[i] = key;
}
