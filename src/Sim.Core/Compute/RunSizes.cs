using System;
using Sim.Core.Scenes;
using Sim.Core.Trace;

namespace Sim.Core.Compute
{
    /// <summary>
    /// The sizes a run's device-worthy kernels work at, estimated from the scene before it runs: what <c>--backend auto</c>
    /// weighs against the measured crossovers (<see cref="AutoBackendRule"/>).
    /// </summary>
    public readonly struct RunSizes
    {
        public RunSizes(double residentTokens, double gateLogitsPerCall)
        {
            ResidentTokens = residentTokens;
            GateLogitsPerCall = gateLogitsPerCall;
        }

        /// <summary>
        /// Token mode: key positions one step's attention reads over all replicas (every batch slot full, each sequence at
        /// its typical length, every copy); 0 without token mode.
        /// </summary>
        public double ResidentTokens { get; }

        /// <summary>MoE: logits one gate call ranks (sampled tokens × experts); 0 without MoE.</summary>
        public double GateLogitsPerCall { get; }

        /// <summary>
        /// From the scene: a sequence's typical length is its mean prompt plus half its mean answer (a synthetic workload;
        /// the model's longest context, an upper bound, for a trace), a replica's batch holds max_num_seqs of them (at
        /// most max_batch_tokens), and token mode keeps one copy per layer group and head.
        /// </summary>
        public static RunSizes Of(Scene scene)
        {
            double residentTokens = 0;
            if (scene.TokenLevel)
            {
                double sequenceTokens = scene.Synthetic != null
                    ? Typical(scene.Synthetic.PromptTokens) + Typical(scene.Synthetic.OutputTokens) / 2
                    : scene.Model.MaxContextTokens;
                residentTokens = (double)scene.Replicas * Math.Min(scene.MaxNumSeqs, scene.MaxBatchTokens) * sequenceTokens * scene.Attention.Copies;
            }
            double gateLogits = scene.Moe != null ? (double)scene.Moe.SampleTokens * scene.Model.Experts : 0;
            return new RunSizes(residentTokens, gateLogits);
        }

        /// <summary>The distribution's mean, within its bounds (a log-normal's clamping ignored).</summary>
        static double Typical(LengthDistribution length) => length.Kind switch
        {
            LengthKind.Fixed => length.Value,
            LengthKind.Uniform => (length.Min + (double)length.Max) / 2,
            _ => Math.Max(length.Min, Math.Min(length.Max, length.Mean)),
        };
    }
}
