using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Prefix caching: every block awaiting its eviction score is scored in one call, replica after replica: each
    /// prefix cache's blocks released by a preemption since the last call and those its finished and handed-off
    /// requests released this step (<see cref="CollectReleasesSystem"/>), each request's deepest first, then the blocks
    /// its host and SSD tiers took in (<see cref="IAwaitingScores"/>). Then each enters its eviction order in that
    /// order with those scores, as if scored on arrival (a block's score depends on its own usage and its owner's
    /// inflation, which no eviction has changed since: an eviction scores the awaiting blocks first). A policy whose
    /// score reads the inflation (size-aware) is scored in one call per run of owners whose inflations agree.
    /// </summary>
    public sealed class ReleaseScoringSystem : ReplicaSystem
    {
        BlockUsage[] _usage = new BlockUsage[64];
        double[] _scores = new double[64];
        // Blocks gathered so far this step; where the blocks of the call being gathered start, the policy and backend
        // they are scored with (every replica's) and their owners' inflation.
        int _gathered, _callStart;
        EvictionPolicy _callPolicy;
        IComputeBackend? _callBackend;
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
            Visit(prefix, prefix);
            if (prefix.Host != null) Visit(prefix, prefix.Host);
            if (prefix.Ssd != null) Visit(prefix, prefix.Ssd);
        }

        void Visit(PrefixCache prefix, IAwaitingScores owner)
        {
            int count = owner.AwaitingCount;
            if (_entering)
            {
                // Every owner enters its blocks here; a prefix cache ends its collecting, those that released nothing too.
                owner.EnterScored(new ReadOnlySpan<double>(_scores, _gathered, count));
                _gathered += count;
                return;
            }
            if (count == 0) return;
            if (prefix.Policy.ReadsInflation() && _gathered > _callStart && owner.InflationScore != _callInflation) ScoreGathered();
            if (_gathered == _callStart)
            {
                _callPolicy = prefix.Policy;
                _callBackend = prefix.Backend;
                _callInflation = owner.InflationScore;
            }
            if (_usage.Length < _gathered + count)
            {
                Array.Resize(ref _usage, Math.Max(_gathered + count, _usage.Length * 2));
                Array.Resize(ref _scores, _usage.Length);
            }
            owner.WriteAwaitingUsage(new Span<BlockUsage>(_usage, _gathered, count));
            _gathered += count;
        }

        /// <summary>Scores the blocks gathered since the last call, with the inflation of the owners they came from.</summary>
        void ScoreGathered()
        {
            if (_gathered == _callStart) return;
            _callBackend!.ScoreEviction(_callPolicy, new ReadOnlySpan<BlockUsage>(_usage, _callStart, _gathered - _callStart), _callInflation,
                new Span<double>(_scores, _callStart, _gathered - _callStart));
            _callStart = _gathered;
        }
    }
}
