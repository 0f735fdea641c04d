using System;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Vulkan
{
    /// <summary>
    /// The simulator's kernels as Vulkan compute shaders: eviction scores and selection, token-compression keys, attention, the MoE gate and replica
    /// routing, each the twin of
    /// its <see cref="CpuBackend"/> reference (parity-tested). One context, pipelines built once, buffers grown and
    /// reused; one dispatch at a time, waited on. Its resident families (<see cref="Resident"/>, the same context) are what
    /// token mode's step attends and the MoE gate runs through.
    /// </summary>
    public sealed class VulkanBackend : IComputeBackend, IResidentBackend, IDisposable
    {
        readonly VulkanContext _context;
        readonly EvictionScoreKernel _eviction;
        readonly TokenScoreKernel _tokens;
        readonly AttentionKernel _attention;
        readonly GateKernel _gate;
        readonly SelectKernel _select;
        readonly RouteKernel _route;
        readonly VulkanResidentKernels _resident;

        VulkanBackend(VulkanContext context, TimeSpan timeout)
        {
            _context = context;
            _eviction = new EvictionScoreKernel(context, timeout);
            _tokens = new TokenScoreKernel(context, timeout);
            _attention = new AttentionKernel(context, timeout);
            _gate = new GateKernel(context, timeout);
            _select = new SelectKernel(context, timeout);
            _route = new RouteKernel(context, timeout);
            _resident = new VulkanResidentKernels(context, timeout);
        }

        public string Name => "vulkan";

        public VulkanDeviceInfo Device => _context.DeviceInfo;

        public IResidentKernels Resident => _resident;

        /// <summary>Submissions so far of every kernel, per-call and resident.</summary>
        public long Submissions => _context.Submissions;

        /// <summary>Attention submissions so far: per-call dispatches and resident passes together.</summary>
        public long AttentionSubmissions => _attention.Calls + _resident.AttentionSubmissions;

        /// <summary>Eviction-scoring dispatches so far (each a submission): the prefix cache's released blocks, a step's at once, and lower tiers' inserts.</summary>
        public long EvictionScoreCalls => _eviction.Calls;

        /// <summary>Per-call gate dispatches so far (each a submission); the resident gate's steps are <see cref="VulkanResidentKernels.GateSubmissions"/>.</summary>
        public long GateCalls => _gate.Calls;

        /// <summary>Opens the preferred Vulkan device; throws <see cref="NotSupportedException"/> when it cannot run the kernels (no double-precision shaders).</summary>
        public static VulkanBackend Create(TimeSpan timeout)
        {
            VulkanContext context = VulkanContext.Create(validationIfPresent: false);
            try
            {
                return new VulkanBackend(context, timeout);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        public void ScoreEviction(EvictionPolicy policy, ReadOnlySpan<BlockUsage> blocks, double inflationScore, Span<double> scores) =>
            _eviction.ScoreEviction(policy, blocks, inflationScore, scores);

        public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
            _tokens.TokenKeys(policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);

        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities) =>
            _attention.AttentionProbabilities(keys, count, query, recencyDecayPerToken, probabilities);

        public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad) =>
            _gate.GateTopK(logits, tokens, experts, topK, chosenExperts, expertLoad);

        public void SelectLowest(ReadOnlySpan<float> keys, Span<int> lowest) => _select.SelectLowest(keys, lowest);

        public int BestReplica(ReadOnlySpan<ReplicaScore> replicas) => _route.BestReplica(replicas);

        public void Dispose()
        {
            _route.Dispose();
            _select.Dispose();
            _gate.Dispose();
            _attention.Dispose();
            _tokens.Dispose();
            _eviction.Dispose();
            _context.Dispose();
        }
    }
}
