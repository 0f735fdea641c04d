#version 450
#include "common.glsl"
#include "sortable.glsl"

// Eviction's selection, the twin of CpuBackend.SelectLowest, as a bitonic sort of (key, index) pairs: the first k
// indices after the sort are the k lowest in ascending order. Pairs are unique (indices differ), so the order is
// total and ties go to the lower index exactly as on the CPU. SelectKernel records one dispatch per step in a
// single submission: a load, then a compare-exchange for every (block, distance) of the bitonic network over the
// count rounded up to a power of two.
// Built twice: float keys; and with SIM_GATHER double keys (resident eviction scores) of the indices listed in
// selected[] (the candidates select_radix.comp left), sorted by (key, entry order), the prefix cache's eviction order
// (entry orders are distinct, so the index never decides). Keys become unsigned words, most significant first, whose
// order is the key's order; the gather build's third word is the entry order.

#ifdef SIM_GATHER
#define KEY_WORDS 3u
layout(set = 0, binding = 0) readonly buffer Keys { double keys[]; };
layout(set = 0, binding = 3) readonly buffer Selected { int selected[]; };
layout(set = 0, binding = 4) readonly buffer EntryOrders { uint entryOrders[]; };
#else
#define KEY_WORDS 1u
layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
#endif
layout(set = 0, binding = 1) buffer SortKeys { uint sortKeys[]; };   // KEY_WORDS words a pair: unsigned order is key order
layout(set = 0, binding = 2) buffer Order { int order[]; };          // the indices, sorted along with sortKeys

layout(push_constant) uniform Arguments
{
    uint count;     // keys (SIM_GATHER: listed indices)
    uint padded;    // count rounded up to a power of two: the network's width
    uint block;     // 0: load step; else the size of the bitonic blocks being merged
    uint distance;  // the compare-exchange distance within them
} args;

#define PAD_WORD 0xFFFFFFFFu  // padding's key is above every non-NaN key
#define PAD_INDEX 0x7FFFFFFF  // above every real index



void load(uint i)
{
    bool real = i < args.count;
#ifdef SIM_GATHER
    uint source = real ? uint(selected[i]) : 0u;
    uvec2 words = real ? sortableDouble(keys[source]) : uvec2(PAD_WORD, PAD_WORD);
    sortKeys[3u * i] = words.x;
    sortKeys[3u * i + 1u] = words.y;
    sortKeys[3u * i + 2u] = real ? entryOrders[source] : PAD_WORD;
#else
    uint source = i;
    sortKeys[i] = real ? sortable(keys[i]) : PAD_WORD;
#endif
    order[i] = real ? int(source) : PAD_INDEX;
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
