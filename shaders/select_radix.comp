#version 450
#include "common.glsl"
#include "sortable.glsl"

// The k lowest of n double keys without sorting them all (ResidentBlocks): each (key, entry order) pair is a 96-bit
// word string (the key's two sortable words, then the entry order), unique among the evictable keys, so the k-th
// lowest pair is found one 8-bit digit at a time, most significant first. A key whose entry order is ABSENT is not
// evictable: its words are all ones, above every evictable pair (no score's sortable high word is all ones).
// The device decides what the host used to between two waits, so a digit's pass, its pick and the listing are one submission:
// mode 0 counts, among the pairs whose leading digits equal the prefix found so far (state's mask and prefix), how
// many have each value of the next digit; mode 2 (one invocation) picks the digit holding the k-th pair, extends the
// prefix, and marks the search done once the pairs at or below the prefix are exactly k, or few enough to sort
// (sortAtMost), or the last digit is picked; passes after that return at once. Mode 1 lists those pairs' indices, once
// the search is done (before that it returns, and the host submits the next digit's pass and the listing again), in
// any order (select_lowest's gather build then sorts them by (key, entry order), the first k being the k lowest).
// Counts are sums, so every step is deterministic. Each counting thread strides over the keys, and a workgroup adds
// its counts in shared memory first.

layout(set = 0, binding = 0) readonly buffer Keys { double keys[]; };
layout(set = 0, binding = 1) buffer Histogram { uint histogram[]; };   // 256 counts, zeroed by the host and by each pick
layout(set = 0, binding = 2) writeonly buffer Selected { int selected[]; };
layout(set = 0, binding = 3) buffer State { uint state[]; };            // the search's state (STATE_*), zeroed by the host but NEED = k
layout(set = 0, binding = 4) readonly buffer EntryOrders { uint entryOrders[]; };   // ABSENT: not evictable

#define ABSENT 0xFFFFFFFFu
#define STATE_LISTED 0u   // indices listed so far (mode 1), the gather sort's count
#define STATE_PREFIX 1u   // three words: the digits found so far, in place
#define STATE_MASK 4u     // three words: their bits
#define STATE_NEED 7u     // the k-th pair's rank among the pairs sharing the prefix
#define STATE_DONE 8u     // 1 once the prefix is found

layout(push_constant) uniform Arguments
{
    uint count;       // keys
    uint digit;       // modes 0 and 2: the digit counted or picked, 0 (the key's top byte) to 11 (the entry order's lowest)
    uint mode;        // 0: count digits; 1: list the pairs at or below the prefix; 2: pick the digit
    uint k;           // pairs wanted
    uint sortAtMost;  // the search stops once at most this many pairs lie at or below the prefix
} args;

shared uint localCounts[256];

uvec3 pairWords(uint i)
{
    uint entry = entryOrders[i];
    if (entry == ABSENT)
        return uvec3(ABSENT);
    uvec2 key = sortableDouble(keys[i]);
    return uvec3(key.x, key.y, entry);
}

uvec3 prefix() { return uvec3(state[STATE_PREFIX], state[STATE_PREFIX + 1u], state[STATE_PREFIX + 2u]); }

uvec3 mask() { return uvec3(state[STATE_MASK], state[STATE_MASK + 1u], state[STATE_MASK + 2u]); }

// Whether the pair's leading digits (those in the mask) come at or before the prefix.
bool atOrBelowPrefix(uvec3 words, uvec3 prefix, uvec3 mask)
{
    uvec3 masked = words & mask;
    if (masked.x != prefix.x) return masked.x < prefix.x;
    if (masked.y != prefix.y) return masked.y < prefix.y;
    return masked.z <= prefix.z;
}

void pick()
{
    uint need = state[STATE_NEED], bin = 0u;
    for (; histogram[bin] < need; bin++)
        need -= histogram[bin];
    uint word = args.digit / 4u, shift = 24u - 8u * (args.digit % 4u);
    state[STATE_PREFIX + word] |= bin << shift;
    state[STATE_MASK + word] |= 0xFFu << shift;
    state[STATE_NEED] = need;
    // The pairs at or below the prefix: the k - need below it and those sharing it. Exactly k: every one is among the
    // k lowest; few enough: the sort takes the k lowest of them.
    uint atOrBelow = args.k - need + histogram[bin];
    if (atOrBelow <= args.sortAtMost || args.digit == 11u)
        state[STATE_DONE] = 1u;
    for (uint b = 0u; b < 256u; b++)
        histogram[b] = 0u;
}

void main()
{
    if (args.mode == 2u)
    {
        if (simIndex() == 0u && state[STATE_DONE] == 0u)
            pick();
        return;
    }
    uint lane = gl_LocalInvocationID.x;
    uint stride = gl_NumWorkGroups.x * gl_NumWorkGroups.y * SIM_LOCAL_SIZE;
    uvec3 found = prefix(), bits = mask();
    if (args.mode == 1u)
    {
        if (state[STATE_DONE] == 0u)
            return;
        for (uint i = simIndex(); i < args.count; i += stride)
        {
            if (atOrBelowPrefix(pairWords(i), found, bits))
                selected[atomicAdd(state[STATE_LISTED], 1u)] = int(i);
        }
        return;
    }
    if (state[STATE_DONE] != 0u)
        return;
    for (uint b = lane; b < 256u; b += SIM_LOCAL_SIZE)
        localCounts[b] = 0u;
    barrier();
    uint word = args.digit / 4u, shift = 24u - 8u * (args.digit % 4u);
    for (uint i = simIndex(); i < args.count; i += stride)
    {
        uvec3 words = pairWords(i);
        if ((words & bits) == found)
            atomicAdd(localCounts[(words[word] >> shift) & 0xFFu], 1u);
    }
    barrier();
    for (uint b = lane; b < 256u; b += SIM_LOCAL_SIZE)
    {
        if (localCounts[b] != 0u)
            atomicAdd(histogram[b], localCounts[b]);
    }
}
