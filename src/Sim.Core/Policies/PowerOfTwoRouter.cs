using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Snapshots;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Power of two choices: draws two different replicas from the scene's "router" stream and sends the request to
    /// the one with fewer uncomputed tokens (the first drawn on a tie). Near least-loaded balance at two probes a request.
    /// </summary>
    public sealed class PowerOfTwoRouter : IRouter, ISnapshotState
    {
        readonly DeterministicRng _rng;

        public PowerOfTwoRouter(ulong seed)
        {
            _rng = DeterministicRng.ForStream(seed, "router");
        }

        void ISnapshotState.Save(SnapshotWriter writer) => ((ISnapshotState)_rng).Save(writer);

        void ISnapshotState.Load(SnapshotReader reader) => ((ISnapshotState)_rng).Load(reader);

        public int Route(World world, ReplicaRuntime[] candidates, Entity request)
        {
            int n = candidates.Length;
            if (n == 1) return candidates[0].Index;
            int first = _rng.NextInt(n);
            int second = _rng.NextInt(n - 1);
            if (second >= first) second++;
            long firstTokens = ReplicaLoad.UncomputedTokens(world, candidates[first]);
            long secondTokens = ReplicaLoad.UncomputedTokens(world, candidates[second]);
            return candidates[secondTokens < firstTokens ? second : first].Index;
        }
    }
}
