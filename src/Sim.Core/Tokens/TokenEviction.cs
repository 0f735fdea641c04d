using System;
using Sim.Core.Components;
using Sim.Core.Compute;
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
        readonly IComputeBackend _backend;
        readonly int _layers;
        // Candidates in resident order: their rank keys (the selection kernel's input) and where they sit in the sequence.
        float[] _keys = new float[1024];
        int[] _residentIndex = new int[1024];
        int[] _selected = new int[1024];
        bool[] _isVictim = new bool[1024];

        public TokenEviction(World world, KvCompression compression, IComputeBackend backend, int layers)
        {
            _world = world;
            _compression = compression;
            _backend = backend;
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
            if (_compression.Policy == CompressionPolicy.Mikv) return Quantize(sequence, budget, ref table, pool);
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

        /// <summary>
        /// <c>mikv</c>: demotes the lowest-scored full-precision tokens until the budget (in full-token equivalents) is
        /// met, each leaving its positional page for the packed pages; drops low-precision tokens, lowest first, only
        /// when none is left to demote or no page is free to pack into. Returns the tokens dropped.
        /// </summary>
        int Quantize(SequenceTokens sequence, int budget, ref KvPageTable table, KvBlockPool pool)
        {
            double lowShare = _compression.LowBits / 16.0;
            double cost = sequence.ResidentCount - sequence.LowPrecisionCount * (1 - lowShare);
            if (cost <= budget) return 0;
            int demotions = (int)Math.Ceiling((cost - budget) / (1 - lowShare));
            int candidates = Candidates(sequence, 0, bits: 16);
            int demoted = Math.Min(demotions, candidates);
            Select(candidates, demoted);
            int dropped = 0;
            for (int v = 0; v < demoted; v++)
            {
                int index = _residentIndex[_selected[v]];
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[index]);
                int positionalPage = token.Position / pool.BlockTokens;
                if (!EnsurePacked(sequence.LowPrecisionCount + 1, ref table, pool))
                {
                    _isVictim[index] = true;
                    _world.Destroy(sequence.Resident[index]);
                    dropped++;
                }
                else
                {
                    token.Bits = (byte)_compression.LowBits;
                    sequence.LowPrecisionCount++;
                }
                if (--sequence.LivePerPage[positionalPage] == 0 && (positionalPage + 1) * pool.BlockTokens <= sequence.Positions) pool.ReleasePage(ref table, positionalPage);
            }
            Compact(sequence);
            sequence.ResidentPerLayer[0] -= dropped;
            cost = sequence.ResidentCount - sequence.LowPrecisionCount * (1 - lowShare);
            if (cost > budget) dropped += DropLowPrecision(sequence, (int)Math.Ceiling((cost - budget) / lowShare), ref table, pool);
            return dropped;
        }

        int DropLowPrecision(SequenceTokens sequence, int excess, ref KvPageTable table, KvBlockPool pool)
        {
            int candidates = Candidates(sequence, 0, bits: _compression.LowBits);
            int victims = Math.Min(excess, candidates);
            Select(candidates, victims);
            for (int v = 0; v < victims; v++)
            {
                int index = _residentIndex[_selected[v]];
                _world.Destroy(sequence.Resident[index]);
                _isVictim[index] = true;
            }
            Compact(sequence);
            sequence.ResidentPerLayer[0] -= victims;
            sequence.LowPrecisionCount -= victims;
            while (table.PackedCount > PackedPagesFor(sequence.LowPrecisionCount, pool)) pool.ReleasePackedPage(ref table);
            return victims;
        }

        /// <summary>Makes room in the packed pages for <paramref name="lowPrecisionTokens"/>; false when no page is free.</summary>
        bool EnsurePacked(int lowPrecisionTokens, ref KvPageTable table, KvBlockPool pool)
        {
            while (table.PackedCount < PackedPagesFor(lowPrecisionTokens, pool))
                if (!pool.TryTakePackedPage(ref table)) return false;
            return true;
        }

        int PackedPagesFor(int lowPrecisionTokens, KvBlockPool pool) =>
            (int)Math.Ceiling(lowPrecisionTokens * (double)_compression.LowBits / (16.0 * pool.BlockTokens));

        /// <summary>Fills the candidate list with the unprotected tokens of <paramref name="layer"/> stored at <paramref name="bits"/>, in position order; returns how many.</summary>
        int Candidates(SequenceTokens sequence, int layer, int bits)
        {
            if (_keys.Length < sequence.ResidentCount)
            {
                int length = Math.Max(sequence.ResidentCount, _keys.Length * 2);
                _keys = new float[length];
                _residentIndex = new int[length];
                _selected = new int[length];
                _isVictim = new bool[length];
            }
            int candidates = 0;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[i]);
                if (token.Layer != layer || token.Bits != bits || Protected(token.Position, sequence.Positions)) continue;
                _keys[candidates] = RankKey(token, sequence.Positions);
                _residentIndex[candidates++] = i;
            }
            return candidates;
        }

        /// <summary>The <paramref name="count"/> lowest-ranked candidates, ties to the older position, into the first entries of the selection (the backend's kernel).</summary>
        void Select(int candidates, int count) =>
            _backend.SelectLowest(new ReadOnlySpan<float>(_keys, 0, candidates), new Span<int>(_selected, 0, count));

        void Compact(SequenceTokens sequence)
        {
            int kept = 0;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                if (_isVictim[i]) _isVictim[i] = false;
                else sequence.Resident[kept++] = sequence.Resident[i];
            }
            sequence.ResidentCount = kept;
        }

        int Evict(SequenceTokens sequence, int layer, int excess, ref KvPageTable table, KvBlockPool pool)
        {
            int candidates = Candidates(sequence, layer, bits: 16);
            int victims = Math.Min(excess, candidates);
            if (victims == 0) return 0;
            Select(candidates, victims);
            for (int v = 0; v < victims; v++)
            {
                int index = _residentIndex[_selected[v]];
                Entity victim = sequence.Resident[index];
                int page = _world.Get<KvToken>(victim).Position / pool.BlockTokens;
                _world.Destroy(victim);
                _isVictim[index] = true;
                if (--sequence.LivePerPage[page] == 0 && (page + 1) * pool.BlockTokens <= sequence.Positions) pool.ReleasePage(ref table, page);
            }
            Compact(sequence);
            sequence.ResidentPerLayer[layer] -= victims;
            return victims;
        }


        bool Protected(int position, int positions) => _compression.Policy switch
        {
            CompressionPolicy.Streaming => position < _compression.Sinks,
            CompressionPolicy.H2o or CompressionPolicy.Lazy or CompressionPolicy.Cake or CompressionPolicy.Mikv => position >= positions - _compression.RecentTokens,
            CompressionPolicy.SnapKv => position >= positions - _compression.ObservationWindow,
            _ => false,
        };

        float RankKey(in KvToken token, int positions) => _compression.Policy switch
        {
            CompressionPolicy.H2o or CompressionPolicy.SnapKv or CompressionPolicy.Cake or CompressionPolicy.Mikv => token.Score,
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
    }
}
