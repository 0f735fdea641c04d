using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Prefix caching: the blocks every replica's finished and handed-off requests released this step
    /// (<see cref="CollectReleasesSystem"/>) are scored in one eviction-scoring call, replica after replica, each
    /// request's blocks deepest first; then each replica's enter its evictable set in that order with those scores, as
    /// if each request's had been scored when it let go (a block's score depends on its own usage alone). A policy whose
    /// score reads the tier's inflation (size-aware) is scored in one call per run of replicas whose inflations agree.
    /// </summary>
    public sealed class ReleaseScoringSystem : ReplicaSystem
    {
        BlockUsage[] _usage = new BlockUsage[64];
        double[] _scores = new double[64];
        // Blocks gathered so far this step; where the blocks of the call being gathered start, the replica they start
        // with (its policy and backend are every replica's) and its inflation.
        int _gathered, _callStart;
        PrefixCache? _callPrefix;
        double _callInflation;
        bool _entering;

        public ReleaseScoringSystem(World world) : base(world)
        {
        }

        public override Phase Phase => Phase.Complete;

        public override void Update()
        {
            _gathered = _callStart = 0;
            _entering = false;
            base.Update();
            ScoreGathered();
            _gathered = 0;
            _entering = true;
            base.Update();
        }

        protected override void Visit(ReplicaRuntime replica, ref ReplicaInfo info)
        {
            PrefixCache? prefix = replica.Kv.Prefix;
            if (prefix == null) return;
            int count = prefix.ReleasedCount;
            if (_entering)
            {
                // Every cache ends its collecting here, those that released nothing too.
                prefix.EnterScored(new ReadOnlySpan<double>(_scores, _gathered, count));
                _gathered += count;
                return;
            }
            if (count == 0) return;
            if (prefix.Policy.ReadsInflation() && _gathered > _callStart && prefix.InflationScore != _callInflation) ScoreGathered();
            if (_gathered == _callStart)
            {
                _callPrefix = prefix;
                _callInflation = prefix.InflationScore;
            }
            if (_usage.Length < _gathered + count)
            {
                Array.Resize(ref _usage, Math.Max(_gathered + count, _usage.Length * 2));
                Array.Resize(ref _scores, _usage.Length);
            }
            prefix.WriteReleasedUsage(prefix.CollectedNowS, new Span<BlockUsage>(_usage, _gathered, count));
            _gathered += count;
        }

        /// <summary>Scores the blocks gathered since the last call, with the inflation of the replicas they came from.</summary>
        void ScoreGathered()
        {
            if (_gathered == _callStart) return;
            _callPrefix!.Backend.ScoreEviction(_callPrefix.Policy, new ReadOnlySpan<BlockUsage>(_usage, _callStart, _gathered - _callStart), _callInflation,
                new Span<double>(_scores, _callStart, _gathered - _callStart));
            _callStart = _gathered;
        }
    }
}
