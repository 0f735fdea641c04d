// Storage-buffer element structs shared with C#: each mirrors the C# struct named in its comment, std430 against
// LayoutKind.Sequential. tests/Sim.Vulkan.Tests/ShaderLayoutTests reads the compiled SPIR-V's offsets and strides
// and checks them against the C# structs, so a change on one side only fails there.

// Sim.Core.Kv.BlockUsage (32 bytes, as on the CPU).
struct BlockUsage
{
    double lastAccessS;
    double cachedAtS;
    int accessCount;
    int chainBlocks;
    int predictedReuse;
    int nextUseRank;
};

// Sim.Core.Compute.ReplicaScore (16 bytes).
struct ReplicaScore
{
    double uncomputedTokens;
    int prefixBlocks;
};

// Sim.Core.Compute.AttentionQuery (48 bytes).
struct AttentionQuery
{
    int firstPosition;
    int count;
    int outputOffset;
    float recencyDecay;
    float q0, q1, q2, q3, q4, q5, q6, q7;
};

// Sim.Core.Compute.SequenceQuery (48 bytes).
struct SequenceQuery
{
    int firstPosition;
    int count;
    int freshSlot;
    float recencyDecay;
    float q0, q1, q2, q3, q4, q5, q6, q7;
};
