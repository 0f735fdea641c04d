#version 450
#include "common.glsl"
#include "sortable.glsl"

// The k lowest of n double keys without sorting them all (ResidentBlocks): each (key, entry order) pair is a 96-bit
// word string (the key's two sortable words, then the entry order), unique among the evictable keys, so the k-th
// lowest pair is found one 8-bit digit at a time, most significant first. A key whose entry order is ABSENT is not
// evictable: its words are all ones, above every evictable pair (no score's sortable high word is all ones). Mode 0 counts, among the pairs whose leading digits equal the prefix
// found so far (mask and prefix), how many have each value of the next digit; the host picks the digit holding the
// k-th pair and goes on until the pairs at or below the prefix are exactly k, or few enough to sort. Mode 1 lists
// those pairs' indices (in any order: select_lowest's gather build then sorts them by (key, entry order), the first k
// being the k lowest). Counts are sums, so every step
// is deterministic. Each thread strides over the keys, and a workgroup adds its counts in shared memory first.

layout(set = 0, binding = 0) readonly buffer Keys { double keys[]; };
layout(set = 0, binding = 1) buffer Histogram { uint histogram[]; };   // 256 counts
layout(set = 0, binding = 2) writeonly buffer Selected { int selected[]; };
layout(set = 0, binding = 3) buffer Listed { uint listed[]; };          // [0]: indices listed so far
layout(set = 0, binding = 4) readonly buffer EntryOrders { uint entryOrders[]; };   // ABSENT: not evictable

#define ABSENT 0xFFFFFFFFu

layout(push_constant) uniform Arguments
{
    uint count;     // keys
    uint digit;     // mode 0: the digit counted, 0 (the key's top byte) to 11 (the entry order's lowest)
    uint mode;      // 0: count digits; 1: list the pairs at or below the prefix
    uint prefix0, prefix1, prefix2;   // the digits found so far, in place
    uint mask0, mask1, mask2;         // their bits
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

bool matchesPrefix(uvec3 words)
{
    return (words & uvec3(args.mask0, args.mask1, args.mask2)) == uvec3(args.prefix0, args.prefix1, args.prefix2);
}

// Whether the pair's leading digits (those in the mask) come at or before the prefix.
bool atOrBelowPrefix(uvec3 words)
{
    uvec3 masked = words & uvec3(args.mask0, args.mask1, args.mask2);
    uvec3 prefix = uvec3(args.prefix0, args.prefix1, args.prefix2);
    if (masked.x != prefix.x) return masked.x < prefix.x;
    if (masked.y != prefix.y) return masked.y < prefix.y;
    return masked.z <= prefix.z;
}

void main()
{
    uint lane = gl_LocalInvocationID.x;
    uint stride = gl_NumWorkGroups.x * gl_NumWorkGroups.y * SIM_LOCAL_SIZE;
    if (args.mode == 1u)
    {
        for (uint i = simIndex(); i < args.count; i += stride)
        {
            if (atOrBelowPrefix(pairWords(i)))
                selected[atomicAdd(listed[0], 1u)] = int(i);
        }
        return;
    }
    for (uint b = lane; b < 256u; b += SIM_LOCAL_SIZE)
        localCounts[b] = 0u;
    barrier();
    uint word = args.digit / 4u, shift = 24u - 8u * (args.digit % 4u);
    for (uint i = simIndex(); i < args.count; i += stride)
    {
        uvec3 words = pairWords(i);
        if (matchesPrefix(words))
            atomicAdd(localCounts[(words[word] >> shift) & 0xFFu], 1u);
    }
    barrier();
    for (uint b = lane; b < 256u; b += SIM_LOCAL_SIZE)
    {
        if (localCounts[b] != 0u)
            atomicAdd(histogram[b], localCounts[b]);
    }
}
