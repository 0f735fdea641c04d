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
// order is the key's order; the gather build's third word is the entry order. The gather build sorts the few hundred
// pairs select_radix.comp listed in the same submission (state[0], at most args.count) in one dispatch of one
// workgroup, the same network over their count rounded up to a power of two (at most args.padded) with a workgroup
// barrier between its steps: a dispatch a step costs a CPU driver more than the sort itself.

#ifdef SIM_GATHER
#define KEY_WORDS 3u
layout(set = 0, binding = 0) readonly buffer Keys { double keys[]; };
layout(set = 0, binding = 3) readonly buffer Selected { int selected[]; };
layout(set = 0, binding = 4) readonly buffer EntryOrders { uint entryOrders[]; };
layout(set = 0, binding = 5) readonly buffer State { uint state[]; };   // [0]: indices listed; [8]: whether the search listed them
// The workgroup's invocations read each other's writes between barriers.
layout(set = 0, binding = 1) coherent buffer SortKeys { uint sortKeys[]; };   // KEY_WORDS words a pair: unsigned order is key order
layout(set = 0, binding = 2) coherent buffer Order { int order[]; };          // the indices, sorted along with sortKeys
#else
#define KEY_WORDS 1u
layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 1) buffer SortKeys { uint sortKeys[]; };   // KEY_WORDS words a pair: unsigned order is key order
layout(set = 0, binding = 2) buffer Order { int order[]; };          // the indices, sorted along with sortKeys
#endif

layout(push_constant) uniform Arguments
{
    uint count;     // keys (SIM_GATHER: at most this many listed indices)
    uint padded;    // count rounded up to a power of two: the network's width (SIM_GATHER: at most)
    uint block;     // 0: load step; else the size of the bitonic blocks being merged (not SIM_GATHER: its one dispatch runs every step)
    uint distance;  // the compare-exchange distance within them
} args;

#define PAD_WORD 0xFFFFFFFFu  // padding's key is above every non-NaN key
#define PAD_INDEX 0x7FFFFFFF  // above every real index



void load(uint i)
{
#ifdef SIM_GATHER
    bool real = i < min(args.count, state[0]);
    uint source = real ? uint(selected[i]) : 0u;
    uvec2 words = real ? sortableDouble(keys[source]) : uvec2(PAD_WORD, PAD_WORD);
    sortKeys[3u * i] = words.x;
    sortKeys[3u * i + 1u] = words.y;
    sortKeys[3u * i + 2u] = real ? entryOrders[source] : PAD_WORD;
#else
    bool real = i < args.count;
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

// One step of the network at pair i: the lower member of each pair compares and exchanges.
void compareExchange(uint i, uint block, uint distance)
{
    uint partner = i ^ distance;
    if (partner <= i)
        return;
    bool ascending = (i & block) == 0u;
    if (after(i, partner) == ascending)
        exchange(i, partner);
}

#ifdef SIM_GATHER
void main()
{
    if (state[8] == 0u)
        return;  // select_radix's search goes on in a later submission, which sorts
    uint listed = min(args.count, state[0]), width = 1u;
    while (width < listed)
        width <<= 1;
    width = min(width, args.padded);
    uint lane = gl_LocalInvocationID.x;
    for (uint i = lane; i < width; i += SIM_LOCAL_SIZE)
        load(i);
    memoryBarrierBuffer();
    barrier();
    for (uint block = 2u; block <= width; block <<= 1)
        for (uint distance = block >> 1; distance > 0u; distance >>= 1)
        {
            // Each pair has one lower member, so no two invocations touch the same pair within a step.
            for (uint i = lane; i < width; i += SIM_LOCAL_SIZE)
                compareExchange(i, block, distance);
            memoryBarrierBuffer();
            barrier();
        }
}
#else
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
    compareExchange(i, args.block, args.distance);
}
#endif
