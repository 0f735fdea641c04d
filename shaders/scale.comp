#version 450
#include "common.glsl"

// y[i] = a * x[i] + y[i]: the smallest kernel that reads, computes and writes; used to check the build
// embeds working SPIR-V.

layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) buffer Y { float y[]; };

layout(push_constant) uniform Arguments
{
    uint count;
    float a;
} args;

void main()
{
    uint i = simIndex();
    if (i < args.count)
        y[i] = args.a * x[i] + y[i];
}
