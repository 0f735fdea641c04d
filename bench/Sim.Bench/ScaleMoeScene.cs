using System.Diagnostics;
using Sim.Core.Compute;

namespace Sim.Bench
{
    /// <summary>
    /// MoE at scale, in the simulator's shape: every step the gate routes all batched tokens of all replicas, each
    /// replica's sampled layers a segment of their own (router logits drawn afresh each step), and the scheduler takes
    /// each segment's expert loads; the choices stay where the gate ran.
    /// </summary>
    sealed class ScaleMoeScene : ScaleScene
    {
        /// <summary>8 replicas, 4 sampled layers each (the simulator's default <c>sample_layers</c>).</summary>
        const int Segments = 32;

        readonly int _tokens, _experts, _topK;

        public ScaleMoeScene(int tokens, int experts, int topK)
        {
            _tokens = tokens;
            _experts = experts;
            _topK = topK;
        }

        public override string Name => "moe";

        public override string Size => _tokens.ToString("N0") + " tokens a step through the gate in " + Segments + " segments (8 replicas x 4 layers), top-" + _topK + " of "
            + _experts + " experts";

        public override long CrossoverElements => (long)_tokens * _experts;

        public override int CrossoverOf(KernelCrossover crossover) => crossover.GateLogits;

        public override string Kernel => "gate";

        public override ScaleResult Run(IResidentKernels kernels, int steps)
        {
            using IResidentGate gate = kernels.Gate(_tokens, Segments, _experts, _topK);
            var logits = new float[_tokens * _experts];
            var segmentOfToken = new int[_tokens];
            for (int t = 0; t < _tokens; t++) segmentOfToken[t] = (int)((long)t * Segments / _tokens);
            var loads = new int[Segments * _experts];
            var checksum = new Checksum();
            var clock = new Stopwatch();
            var times = new StepTimes();
            for (int step = 0; step < steps; step++)
            {
                for (int i = 0; i < logits.Length; i++) logits[i] = Draw(4, (ulong)step, (ulong)i);
                clock.Restart();
                gate.Step(logits, segmentOfToken, _tokens, Segments, loads, default);
                clock.Stop();
                times.Add(clock);
                checksum.Add(loads);
            }
            var chosen = new int[_tokens * _topK];
            gate.ReadChosen(chosen);
            checksum.Add(chosen);
            return times.Result(checksum);
        }
    }
}
