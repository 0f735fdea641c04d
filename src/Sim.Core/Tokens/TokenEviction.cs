using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Token mode's eviction: each layer group over its budget loses its lowest-ranked unprotected tokens (ties to the
    /// older position), and a KV page goes back to the pool once every position on it has been written and evicted
    /// in every group. <c>cake</c> splits a sequence's budget across groups in proportion to their dispersion.
    /// </summary>
    internal sealed class TokenEviction
    {
        readonly World _world;
        readonly KvCompression _compression;
        readonly int _layers;
        (float Key, int Index)[] _candidates = new (float, int)[1024];
        bool[] _isVictim = new bool[1024];

        public TokenEviction(World world, KvCompression compression, int layers)
        {
            _world = world;
            _compression = compression;
            _layers = layers;
        }

        /// <summary>Evicts what the policy says after an iteration; returns the token-layer copies evicted.</summary>
        public int Apply(SequenceTokens sequence, bool prefillEnded, bool decode, ref KvPageTable table, KvBlockPool pool)
        {
            bool compresses = _compression.Policy switch
            {
                CompressionPolicy.Full => false,
                CompressionPolicy.SnapKv => prefillEnded,
                _ => true,
            };
            if (!compresses) return 0;
            int budget = _compression.BudgetFor(sequence.Positions);
            double dispersionSum = 0;
            for (int layer = 0; layer < _layers; layer++) dispersionSum += sequence.Dispersion[layer];
            int evicted = 0;
            for (int layer = 0; layer < _layers; layer++)
            {
                int layerBudget = _compression.Policy == CompressionPolicy.Cake
                    ? (int)(budget * _layers * sequence.Dispersion[layer] / dispersionSum)
                    : budget;
                int allowed = _compression.Policy == CompressionPolicy.Lazy ? layerBudget + _compression.LazySlack : layerBudget;
                if (sequence.ResidentPerLayer[layer] > allowed)
                    evicted += Evict(sequence, layer, sequence.ResidentPerLayer[layer] - layerBudget, ref table, pool);
            }
            return evicted;
        }

        int Evict(SequenceTokens sequence, int layer, int excess, ref KvPageTable table, KvBlockPool pool)
        {
            if (_candidates.Length < sequence.ResidentCount)
            {
                _candidates = new (float, int)[Math.Max(sequence.ResidentCount, _candidates.Length * 2)];
                _isVictim = new bool[_candidates.Length];
            }
            int candidates = 0;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[i]);
                if (token.Layer != layer || Protected(token.Position, sequence.Positions)) continue;
                _candidates[candidates++] = (RankKey(token, sequence.Positions), i);
            }
            int victims = Math.Min(excess, candidates);
            if (victims == 0) return 0;
            // A decode step usually evicts one token: a scan finds it without sorting.
            if (victims == 1) _candidates[0] = Lowest(candidates);
            else Array.Sort(_candidates, 0, candidates, RankComparer.Instance);
            for (int v = 0; v < victims; v++)
            {
                int index = _candidates[v].Index;
                Entity victim = sequence.Resident[index];
                int page = _world.Get<KvToken>(victim).Position / pool.BlockTokens;
                _world.Destroy(victim);
                _isVictim[index] = true;
                if (--sequence.LivePerPage[page] == 0 && (page + 1) * pool.BlockTokens <= sequence.Positions) pool.ReleasePage(ref table, page);
            }
            int kept = 0;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                if (_isVictim[i]) _isVictim[i] = false;
                else sequence.Resident[kept++] = sequence.Resident[i];
            }
            sequence.ResidentCount = kept;
            sequence.ResidentPerLayer[layer] -= victims;
            return victims;
        }

        (float Key, int Index) Lowest(int candidates)
        {
            (float Key, int Index) lowest = _candidates[0];
            for (int i = 1; i < candidates; i++)
                if (RankComparer.Instance.Compare(_candidates[i], lowest) < 0) lowest = _candidates[i];
            return lowest;
        }

        bool Protected(int position, int positions) => _compression.Policy switch
        {
            CompressionPolicy.Streaming => position < _compression.Sinks,
            CompressionPolicy.H2o or CompressionPolicy.Lazy or CompressionPolicy.Cake => position >= positions - _compression.RecentTokens,
            CompressionPolicy.SnapKv => position >= positions - _compression.ObservationWindow,
            _ => false,
        };

        float RankKey(in KvToken token, int positions) => _compression.Policy switch
        {
            CompressionPolicy.H2o or CompressionPolicy.SnapKv or CompressionPolicy.Cake => token.Score,
            CompressionPolicy.Lazy => LazyKey(token, positions),
            _ => token.Position,
        };

        /// <summary>Minus how overdue the token is against its recurrence interval; tokens never attended twice rank below all that recur.</summary>
        static float LazyKey(in KvToken token, int positions)
        {
            int now = positions - 1;
            if (token.RecurrenceInterval <= 0) return float.MinValue; // ties leave oldest first
            return -(now - token.LastAttendedStep) / token.RecurrenceInterval;
        }

        sealed class RankComparer : IComparer<(float Key, int Index)>
        {
            public static readonly RankComparer Instance = new RankComparer();

            public int Compare((float Key, int Index) a, (float Key, int Index) b)
            {
                int byKey = a.Key.CompareTo(b.Key);
                return byKey != 0 ? byKey : a.Index.CompareTo(b.Index);
            }
        }
    }
}
