#version 450
#include "common.glsl"

// Eviction's selection, the twin of CpuBackend.SelectLowest, as a bitonic sort of (key, index) pairs: the first k
// indices after the sort are the k lowest in ascending order. Pairs are unique (indices differ), so the order is
// total and ties go to the lower index exactly as on the CPU. SelectKernel records one dispatch per step in a
// single submission: a load, then a compare-exchange for every (block, distance) of the bitonic network over the
// count rounded up to a power of two.

layout(set = 0, binding = 0) readonly buffer Keys { float keys[]; };
layout(set = 0, binding = 1) buffer SortKeys { uint sortKeys[]; };   // keys mapped so unsigned order is float order
layout(set = 0, binding = 2) buffer Order { int order[]; };          // the indices, sorted along with sortKeys

layout(push_constant) uniform Arguments
{
    uint count;     // keys
    uint padded;    // count rounded up to a power of two: the network's width
    uint block;     // 0: load step; else the size of the bitonic blocks being merged
    uint distance;  // the compare-exchange distance within them
} args;

#define PAD_KEY 0xFFFFFFFFu   // above every non-NaN key
#define PAD_INDEX 0x7FFFFFFF  // above every real index

// Unsigned integer order equal to float order: flip all bits of negatives, the sign bit of positives. -0 becomes
// +0 first, since the CPU's comparison holds them equal (and breaks the tie by index).
uint sortable(float key)
{
    uint bits = floatBitsToUint(key);
    if (bits == 0x80000000u) bits = 0u;
    return (bits & 0x80000000u) != 0u ? ~bits : bits | 0x80000000u;
}

bool after(uint keyA, int indexA, uint keyB, int indexB)
{
    return keyA > keyB || (keyA == keyB && indexA > indexB);
}

void main()
{
    uint i = simIndex();
    if (i >= args.padded)
        return;
    if (args.block == 0u)
    {
        bool real = i < args.count;
        sortKeys[i] = real ? sortable(keys[i]) : PAD_KEY;
        order[i] = real ? int(i) : PAD_INDEX;
        return;
    }
    uint partner = i ^ args.distance;
    if (partner <= i)
        return;  // each pair is exchanged by its lower member
    bool ascending = (i & args.block) == 0u;
    uint keyI = sortKeys[i], keyP = sortKeys[partner];
    int indexI = order[i], indexP = order[partner];
    if (after(keyI, indexI, keyP, indexP) == ascending)
    {
        sortKeys[i] = keyP;
        sortKeys[partner] = keyI;
        order[i] = indexP;
        order[partner] = indexI;
    }
}
