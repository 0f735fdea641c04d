// Shared by every compute shader: the workgroup size and the binding conventions.
// Each .comp starts with `#version 450` and then `#include "common.glsl"`.
//
// Binding layout: set 0 holds the kernel's storage buffers in declaration order (binding 0, 1, ...);
// scalar arguments travel as one push-constant block whose first member is the element count.

#define SIM_LOCAL_SIZE 64
layout(local_size_x = SIM_LOCAL_SIZE) in;

// The element this invocation handles. Dispatches wider than the device's workgroup count along x wrap into y
// rows of full x width (ComputeKernel.Dispatch), so one index covers any element count.
uint simIndex()
{
    return gl_GlobalInvocationID.y * gl_NumWorkGroups.x * SIM_LOCAL_SIZE + gl_GlobalInvocationID.x;
}

// Softmax.FlushSubnormal: +0 for a subnormal (or zero) x. Devices differ on subnormals (some flush them in hardware,
// some keep them); a kernel that flushes every value that could turn subnormal gives the same bits on both.
float flushSubnormal(float x)
{
    return abs(x) < 1.17549435e-38 ? 0.0 : x;
}
