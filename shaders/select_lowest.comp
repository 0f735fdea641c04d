#version 450
#include "common.glsl"

// Eviction's selection, the twin of CpuBackend.SelectLowest, as a bitonic sort of (key, index) pairs: the first k
// indices after the sort are the k lowest in ascending order. Pairs are unique (indices differ), so the order is
// total and ties go to the lower index exactly as on the CPU. SelectKernel records one dispatch per step in a
// single submission: a load, then a compare-exchange for every (block, distance) of the bitonic network over the
// count rounded up to a power of two.
// Built twice: float keys, and with SIM_DOUBLE_KEYS double keys (resident eviction scores), each mapped to unsigned
// words, most significant first, whose order is the key's order.

#ifdef SIM_DOUBLE_KEYS
#define KEY_WORDS 2u
layout(set = 0, binding = 0) readonly buffer Keys { double keys[]; };
#else
#define KEY_WORDS 1u
layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
#endif
layout(set = 0, binding = 1) buffer SortKeys { uint sortKeys[]; };   // KEY_WORDS words a pair: unsigned order is key order
layout(set = 0, binding = 2) buffer Order { int order[]; };          // the indices, sorted along with sortKeys

layout(push_constant) uniform Arguments
{
    uint count;     // keys
    uint padded;    // count rounded up to a power of two: the network's width
    uint block;     // 0: load step; else the size of the bitonic blocks being merged
    uint distance;  // the compare-exchange distance within them
} args;

#define PAD_WORD 0xFFFFFFFFu  // padding's key is above every non-NaN key
#define PAD_INDEX 0x7FFFFFFF  // above every real index

// Unsigned integer order equal to float order: flip all bits of negatives, the sign bit of positives. -0 becomes
// +0 first, since the CPU's comparison holds them equal (and breaks the tie by index).
uint sortable(float key)
{
    uint bits = floatBitsToUint(key);
    if (bits == 0x80000000u) bits = 0u;
    return (bits & 0x80000000u) != 0u ? ~bits : bits | 0x80000000u;
}

// The same for a double, as (high word, low word).
uvec2 sortableDouble(double key)
{
    uvec2 halves = unpackDouble2x32(key);   // x: low word, y: high word
    uint high = halves.y, low = halves.x;
    if (high == 0x80000000u && low == 0u) high = 0u;
    return (high & 0x80000000u) != 0u ? uvec2(~high, ~low) : uvec2(high | 0x80000000u, low);
}

void load(uint i)
{
    bool real = i < args.count;
#ifdef SIM_DOUBLE_KEYS
    uvec2 words = real ? sortableDouble(keys[i]) : uvec2(PAD_WORD, PAD_WORD);
    sortKeys[2u * i] = words.x;
    sortKeys[2u * i + 1u] = words.y;
#else
    sortKeys[i] = real ? sortable(keys[i]) : PAD_WORD;
#endif
    order[i] = real ? int(i) : PAD_INDEX;
}

// Whether the pair at a comes after the pair at b: a larger key, or an equal key and a larger index.
bool after(uint a, uint b)
{
    for (uint w = 0u; w < KEY_WORDS; w++)
    {
        uint wordA = sortKeys[a * KEY_WORDS + w], wordB = sortKeys[b * KEY_WORDS + w];
        if (wordA != wordB)
            return wordA > wordB;
    }
    return order[a] > order[b];
}

void exchange(uint a, uint b)
{
    for (uint w = 0u; w < KEY_WORDS; w++)
    {
        uint word = sortKeys[a * KEY_WORDS + w];
        sortKeys[a * KEY_WORDS + w] = sortKeys[b * KEY_WORDS + w];
        sortKeys[b * KEY_WORDS + w] = word;
    }
    int index = order[a];
    order[a] = order[b];
    order[b] = index;
}

void main()
{
    uint i = simIndex();
    if (i >= args.padded)
        return;
    if (args.block == 0u)
    {
        load(i);
        return;
    }
    uint partner = i ^ args.distance;
    if (partner <= i)
        return;  // each pair is exchanged by its lower member
    bool ascending = (i & args.block) == 0u;
    if (after(i, partner) == ascending)
        exchange(i, partner);
}
