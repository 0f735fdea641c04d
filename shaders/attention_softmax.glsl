// The softmax of one query over one sequence's keys by one workgroup, shared by attention.comp (one sequence a
// dispatch), attention_step.comp (every sequence in one dispatch) and attention_queries.comp (every query of a step
// in one dispatch). The including shader declares the float
// buffers keys[] (KEY_DIM floats a position) and probabilities[], and KEY_DIM.
// Each thread takes every SIM_LOCAL_SIZE-th position; the maximum and the sum are reduced through shared memory.
// Everything follows Sim.Core.Compute.Softmax step for step (logits in the CPU's order, exp by the same polynomial,
// the sum in double in the same lane order), with every float operation kept from contraction into fused
// multiply-adds (precise): the results are the CPU's, bit for bit.
// With SIM_SUBGROUPS (devices with subgroup arithmetic in compute) the maximum is reduced by subgroupMax, then across
// subgroups; a maximum does not depend on the order it is taken in, so both builds give the same bits. The sum keeps
// its fixed lane order in shared memory: a subgroup sum would add in the device's order and round differently.
// Every value that could turn subnormal (inputs, products, sums, differences, the scaled results) is flushed to +0
// by flushSubnormal, as the CPU does, so devices that flush subnormals in hardware and those that keep them agree.

shared float sharedMax[SIM_LOCAL_SIZE];
shared double sharedSum[SIM_LOCAL_SIZE];

// Softmax.Exp: e^x for x <= 0 by Cody-Waite range reduction and a degree-6 polynomial; 0 below -87.
float softmaxExp(float x)
{
    if (x < -87.0)
        return 0.0;
    precise float n = floor(x * 1.44269504 + 0.5);
    precise float r = x - n * 0.693145752;
    r = r - n * 1.42860677e-6;
    precise float p = 0.00138888892;
    p = p * r + 0.00833333377;
    p = p * r + 0.0416666679;
    p = p * r + 0.166666672;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    return p * intBitsToFloat((int(n) + 127) << 23);
}

// Logit i = q.k_i - recencyDecay * (count - 1 - i) over the key positions from base, softmax into
// probabilities[outBase + i]. Called by the whole workgroup (it synchronises on barriers).
void attendSoftmax(uint base, uint outBase, uint count, float q[KEY_DIM], float recencyDecay)
{
    uint lane = gl_LocalInvocationID.x;
    for (uint j = 0u; j < KEY_DIM; j++)
        q[j] = flushSubnormal(q[j]);
    float localMax = -1.0 / 0.0;
    for (uint i = lane; i < count; i += SIM_LOCAL_SIZE)
    {
        precise float logit = flushSubnormal(-recencyDecay * float(count - 1u - i));
        for (uint j = 0u; j < KEY_DIM; j++)
        {
            precise float product = q[j] * flushSubnormal(keys[(base + i) * KEY_DIM + j]);
            logit = flushSubnormal(logit + flushSubnormal(product));
        }
        probabilities[outBase + i] = logit;
        localMax = max(localMax, logit);
    }
#ifdef SIM_SUBGROUPS
    float subgroupMaximum = subgroupMax(localMax);
    if (subgroupElect()) sharedMax[gl_SubgroupID] = subgroupMaximum;
    barrier();
    if (lane == 0u)
    {
        for (uint s = 1u; s < gl_NumSubgroups; s++) sharedMax[0] = max(sharedMax[0], sharedMax[s]);
    }
    barrier();
#else
    sharedMax[lane] = localMax;
    barrier();
    for (uint stride = SIM_LOCAL_SIZE / 2u; stride > 0u; stride >>= 1)
    {
        if (lane < stride) sharedMax[lane] = max(sharedMax[lane], sharedMax[lane + stride]);
        barrier();
    }
#endif
    float maximum = sharedMax[0];
    double localSum = 0.0;
    for (uint i = lane; i < count; i += SIM_LOCAL_SIZE)
    {
        precise float shifted = probabilities[outBase + i] - maximum;
        float e = softmaxExp(flushSubnormal(shifted));
        probabilities[outBase + i] = e;
        localSum += double(e);
    }
    sharedSum[lane] = localSum;
    barrier();
    for (uint stride = SIM_LOCAL_SIZE / 2u; stride > 0u; stride >>= 1)
    {
        if (lane < stride) sharedSum[lane] += sharedSum[lane + stride];
        barrier();
    }
    float inverse = float(1.0 / sharedSum[0]);
    for (uint i = lane; i < count; i += SIM_LOCAL_SIZE)
    {
        precise float scaled = probabilities[outBase + i] * inverse;
        probabilities[outBase + i] = flushSubnormal(scaled);
    }
}
