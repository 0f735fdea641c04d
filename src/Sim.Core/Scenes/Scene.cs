using Sim.Core.Experts;
using Sim.Core.Kv;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Tokens;
using Sim.Core.Trace;

namespace Sim.Core.Scenes
{
    /// <summary>A validated scene: everything one run needs besides the catalog's model and hardware specs.</summary>
    public sealed class Scene
    {
        public string Name { get; set; } = "";

        /// <summary>The YAML file the scene came from; relative paths inside it resolve from its folder.</summary>
        public string SourcePath { get; set; } = "";

        public ulong Seed { get; set; } = 42;

        /// <summary>
        /// What changed the scene after its file was read, in the order applied: <c>--set</c> overrides
        /// (<c>key.path=value</c>) and command-line flags (<c>--requests=300</c>); summary.json records them so two
        /// runs of one scene file can be told apart.
        /// </summary>
        public System.Collections.Generic.List<string> Overrides { get; } = new System.Collections.Generic.List<string>();

        public string ModelId { get; set; } = "";

        public string HardwareId { get; set; } = "";

        /// <summary>The catalog spec of <see cref="ModelId"/>, resolved by <see cref="SceneLoader"/>.</summary>
        public ModelSpec Model { get; set; } = null!;

        /// <summary>The catalog spec of <see cref="HardwareId"/>, resolved by <see cref="SceneLoader"/>.</summary>
        public HardwareSpec Hardware { get; set; } = null!;

        public int TensorParallel { get; set; } = 1;

        public int PipelineParallel { get; set; } = 1;

        public int Replicas { get; set; } = 1;

        public string Router { get; set; } = "round-robin";

        /// <summary>Prefill and decode pools; null when every replica does both (then <see cref="Replicas"/> are alike).</summary>
        public Disaggregation? Disaggregation { get; set; }

        public int BlockTokens { get; set; } = 16;

        /// <summary>Share of the replica's HBM given to weights plus KV; the KV cache gets this less the weights.</summary>
        public double KvMemoryFraction { get; set; } = 0.9;

        /// <summary>KV tokens per replica when set, in place of the size derived from HBM, weights and <see cref="KvMemoryFraction"/>.</summary>
        public long? KvCapacityTokens { get; set; }

        /// <summary>Share of a replica's KV pages kept free when a waiting request is admitted (vLLM v0's <c>watermark</c>).</summary>
        public double KvWatermark { get; set; } = 0.01;

        /// <summary>
        /// HBM bytes on each GPU kept from the KV cache for activations and the runtime (<c>kv.reserved_gib</c>); null
        /// for the default by model size (<see cref="Kv.KvCapacity.DefaultReservedBytesPerGpu"/>).
        /// </summary>
        public long? KvReservedBytesPerGpu { get; set; }

        /// <summary>Bytes per stored K or V element: 2 for fp16, 1 for fp8, 0.5 for int4.</summary>
        public double KvBytesPerElement { get; set; } = 2;

        /// <summary>MoE mode's routing, expert placement and offload (<c>moe:</c>); null to charge experts as an even spread.</summary>
        public MoeSettings? Moe { get; set; }

        /// <summary>KV prediction for time to first token (<c>kv_prediction:</c>); null when off.</summary>
        public KvPrediction? KvPrediction { get; set; }

        /// <summary>Speculative decoding (<c>speculative:</c>); null when off.</summary>
        public SpeculativeDecoding? Speculative { get; set; }

        /// <summary>Every resident KV token is an entity, evicted under <see cref="Compression"/> (<c>kv.token_level</c>).</summary>
        public bool TokenLevel { get; set; }

        public KvCompression Compression { get; set; } = new KvCompression();

        /// <summary>The synthetic attention that scores tokens in token mode.</summary>
        public AttentionModel Attention { get; set; } = new AttentionModel();

        /// <summary>Reuse computed prompt pages across requests (<c>kv.prefix_caching</c>).</summary>
        public bool PrefixCaching { get; set; }

        public EvictionPolicy Eviction { get; set; } = EvictionPolicy.Lru;

        /// <summary>The reuse horizon of <c>kv.eviction: predicted</c> (<c>kv.reuse_prediction.horizon_s</c>).</summary>
        public double ReuseHorizonS { get; set; } = 60;

        /// <summary>Share of wrong reuse bits of <c>kv.eviction: predicted</c> (<c>kv.reuse_prediction.error</c>).</summary>
        public double ReusePredictionError { get; set; }

        /// <summary>Host DRAM tier under HBM for evicted cached pages; null when the scene has none.</summary>
        public MemoryTier? HostTier { get; set; }

        /// <summary>SSD tier under host DRAM (or under HBM when there is no host tier); null when none.</summary>
        public MemoryTier? SsdTier { get; set; }

        public string SchedulerPolicy { get; set; } = "vllm";

        public int MaxBatchTokens { get; set; } = 4096;

        public int MaxNumSeqs { get; set; } = 128;

        public bool ChunkedPrefill { get; set; } = true;

        /// <summary>Preempted requests' KV goes to host memory (<c>scheduler.preemption: swap</c>) rather than being recomputed.</summary>
        public bool SwapPreemption { get; set; }

        /// <summary>Host memory per replica for swapped-out KV (vLLM's default: 4 GiB per GPU).</summary>
        public long SwapSpaceBytes { get; set; }

        public AdmissionOrderKind AdmissionOrder { get; set; } = AdmissionOrderKind.Fcfs;

        /// <summary>Waiting time after which a request is admitted ahead of all others not yet starved.</summary>
        public double StarvationS { get; set; } = 60;

        /// <summary>Priority classes by length, replacing the trace's; null to keep the trace's (0 when it has none).</summary>
        public PriorityRule? PriorityRule { get; set; }

        /// <summary>Token budget of a <c>sarathi</c> iteration.</summary>
        public int ChunkTokens { get; set; } = 512;

        /// <summary><c>roofline</c> (from datasheet figures) or <c>profile</c> (from the measured tables in <see cref="ProfilesDir"/>).</summary>
        public string PerfModel { get; set; } = "roofline";

        /// <summary>The folder of measured operator tables a <c>profile</c> perf model reads, resolved against the scene's folder.</summary>
        public string? ProfilesDir { get; set; }

        public double IterationOverheadS { get; set; } = 0.002;

        /// <summary>Profile model only: CPU cost of launching each all-reduce, added to the table's kernel time (Vidur's <c>nccl_cpu_launch_overhead_ms</c>).</summary>
        public double CollectiveLaunchS { get; set; }

        /// <summary>Trace file, resolved against the scene's folder; null when the workload is synthetic.</summary>
        public string? TracePath { get; set; }

        public TraceFormat TraceFormat { get; set; } = TraceFormat.Auto;

        public SyntheticWorkload? Synthetic { get; set; }

        /// <summary>Prefix hashes for requests without them; null to leave requests as they come.</summary>
        public SharedPrefixModel? SharedPrefix { get; set; }

        public long? MaxRequests { get; set; }

        public double TimeScale { get; set; } = 1;

        public OversizePolicy Oversize { get; set; } = OversizePolicy.Reject;

        public double SloTtftS { get; set; } = 2;

        /// <summary>Bound on a request's mean gap between output tokens (TPOT).</summary>
        public double SloTbtS { get; set; } = 0.2;

        /// <summary>Verify the page and request invariants after every iteration (slower; tests turn it on).</summary>
        public bool CheckInvariants { get; set; }

        /// <summary>Run quiet stretches of decode iterations in one move; the outputs are the same either way.</summary>
        public bool FastForward { get; set; } = true;

        /// <summary>The same scene with another number of replicas (a shallow copy), for a partition of a run.</summary>
        public Scene WithReplicas(int replicas)
        {
            var copy = (Scene)MemberwiseClone();
            copy.Replicas = replicas;
            return copy;
        }

        /// <summary>The same scene at another time scale (a shallow copy: runs never change a scene), for runs side by side.</summary>
        public Scene WithTimeScale(double timeScale)
        {
            var copy = (Scene)MemberwiseClone();
            copy.TimeScale = timeScale;
            return copy;
        }
    }

    /// <summary>What to do with a request longer than the model's context or the replica's KV capacity.</summary>
    public enum OversizePolicy
    {
        /// <summary>Count it as rejected and move on.</summary>
        Reject,

        /// <summary>Keep the prompt and cut the output at the limit, as vLLM stops generating at the context length; refuse a prompt that leaves no room for one output token.</summary>
        Truncate,

        /// <summary>Stop with an error naming the trace line.</summary>
        Error,
    }
}
