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
