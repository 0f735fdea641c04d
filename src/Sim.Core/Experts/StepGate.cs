using System;
using Sim.Core.Compute;
using Sim.Core.Pipeline;

namespace Sim.Core.Experts
{
    /// <summary>
    /// MoE mode's gate as one step over every replica scheduled now (<see cref="IResidentGate"/>): each replica first plans
    /// its sampled tokens' logits, a segment per sampled layer, in replica order (<see cref="MoeReplica.PlanGate"/>); one
    /// <see cref="Run"/> routes them all; each replica then reads its segments' loads and choices as it applies its
    /// iteration (<see cref="MoeReplica.ApplyGate"/>). The kernel is the per-call gate's over the same logits, so every
    /// segment gets the counts and choices a call of its own would have.
    /// </summary>
    public sealed class StepGate : IDisposable
    {
        readonly IResidentGate _gate;
        readonly int _experts, _topK;
        readonly bool _readsChoices;
        readonly float[] _logits;
        readonly int[] _segmentOf, _firstToken, _tokens, _loads, _chosen;
        int _plannedTokens, _plannedSegments;

        /// <param name="kernels">The backend's resident families; the CPU reference where the backend offers none.</param>
        /// <param name="maxTokens">Sampled tokens of every replica's sampled layers together.</param>
        /// <param name="maxSegments">Sampled layers of every replica together.</param>
        /// <param name="readsChoices">Whether the replicas read each token's choices (the prefetch predictor does), not only the loads.</param>
        public StepGate(IResidentKernels kernels, int maxTokens, int maxSegments, int experts, int topK, bool readsChoices)
        {
            _gate = kernels.Gate(maxTokens, maxSegments, experts, topK);
            _experts = experts;
            _topK = topK;
            _readsChoices = readsChoices;
            _logits = new float[maxTokens * experts];
            _segmentOf = new int[maxTokens];
            _firstToken = new int[maxSegments];
            _tokens = new int[maxSegments];
            _loads = new int[maxSegments * experts];
            _chosen = new int[readsChoices ? maxTokens * topK : 0];
        }

        /// <summary>
        /// The gate for a cluster's MoE replicas, on the backend's resident families; the CPU backend has none, and
        /// there the reference runs the same step (its one kernel call a segment is the per-call path's); <c>auto</c>
        /// takes the device's when a step's logits reach the gate's crossover.
        /// </summary>
        public static StepGate For(ReplicaRuntime[] replicas, IComputeBackend backend)
        {
            int tokens = 0, segments = 0, experts = 0, topK = 0;
            bool readsChoices = false;
            foreach (ReplicaRuntime replica in replicas)
            {
                if (replica.Moe == null) continue;
                tokens += replica.Moe.GateTokensPerStep;
                segments += replica.Moe.GateSegmentsPerStep;
                experts = replica.Moe.Experts;
                topK = replica.Moe.TopK;
                readsChoices |= replica.Moe.ReadsGateChoices;
            }
            IResidentKernels kernels = backend is IResidentBackend resident ? resident.Resident
                : backend is CrossoverBackend auto ? auto.GateKernels((long)tokens * experts)
                : new CpuResidentKernels();
            return new StepGate(kernels, tokens, segments, experts, topK, readsChoices);
        }

        /// <summary>Gate steps run so far (one submission each on a device).</summary>
        public long Steps { get; private set; }

        /// <summary>Plans a segment of <paramref name="tokens"/> tokens; returns it. Its logits are then written through <see cref="Logits"/>.</summary>
        public int Add(int tokens)
        {
            int segment = _plannedSegments++;
            _firstToken[segment] = _plannedTokens;
            _tokens[segment] = tokens;
            for (int t = 0; t < tokens; t++) _segmentOf[_plannedTokens + t] = segment;
            _plannedTokens += tokens;
            return segment;
        }

        /// <summary>The segment's logits, a row of experts per token.</summary>
        public Span<float> Logits(int segment) => new Span<float>(_logits, _firstToken[segment] * _experts, _tokens[segment] * _experts);

        /// <summary>Routes every planned token in one step; nothing when none was planned.</summary>
        public void Run()
        {
            if (_plannedTokens == 0) return;
            _gate.Step(_logits, _segmentOf, _plannedTokens, _plannedSegments, _loads, _chosen);
            Steps++;
        }

        /// <summary>The segment's count of picks per expert.</summary>
        public ReadOnlySpan<int> Loads(int segment) => new ReadOnlySpan<int>(_loads, segment * _experts, _experts);

        /// <summary>The segment's choices, top-k a token, best first (only for a gate made to read them).</summary>
        public ReadOnlySpan<int> Chosen(int segment)
        {
            if (!_readsChoices) throw new InvalidOperationException("this gate does not bring choices back");
            return new ReadOnlySpan<int>(_chosen, _firstToken[segment] * _topK, _tokens[segment] * _topK);
        }

        /// <summary>The step is over: the next plans start a new one.</summary>
        public void End() => _plannedTokens = _plannedSegments = 0;

        public void Dispose() => _gate.Dispose();
    }
}
