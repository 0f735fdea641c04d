using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Token mode's eviction, per copy (layer group and head): a copy over its budget loses its lowest-ranked
    /// unprotected tokens (ties to the older position), and a KV page goes back to the pool once every position on it
    /// has been written and left in every copy. Nothing is evicted before the prefill ends. <c>cake</c> splits the
    /// budget across layer groups by their preference; <c>mikv</c> demotes to low precision before it drops.
    /// </summary>
    internal sealed class TokenEviction
    {
        const int D = AttentionModel.KeyDim;

        readonly World _world;
        readonly KvCompression _compression;
        readonly IComputeBackend _backend;
        readonly AttentionModel _attention;
        // Candidates in resident order: their rank keys (the selection kernel's input) and where they sit in the copy.
        float[] _keys = new float[1024];
        int[] _residentIndex = new int[1024];
        int[] _selected = new int[1024];
        bool[] _isVictim = new bool[1024];

        public TokenEviction(World world, KvCompression compression, IComputeBackend backend, AttentionModel attention)
        {
            _world = world;
            _compression = compression;
            _backend = backend;
            _attention = attention;
        }

        /// <summary>Evicts what the policy says after an iteration; returns the token copies dropped.</summary>
        public int Apply(SequenceTokens sequence, bool prefillEnded, ref KvPageTable table, KvBlockPool pool)
        {
            if (!sequence.PrefillDone || _compression.Policy == CompressionPolicy.Full) return 0;
            if (_compression.Policy == CompressionPolicy.SnapKv && !prefillEnded) return 0;
            if (prefillEnded) SetBudgets(sequence);
            int dropped = 0;
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                int budget = _compression.Policy == CompressionPolicy.Cake ? sequence.CopyBudget[copy] : _compression.BudgetFor(sequence.Positions);
                if (_compression.Policy == CompressionPolicy.Mikv)
                {
                    dropped += Quantize(sequence, copy, budget, ref table, pool);
                    continue;
                }
                int allowed = _compression.Policy == CompressionPolicy.Lazy ? budget + _compression.LazySlack : budget;
                if (sequence.ResidentCount[copy] > allowed)
                    dropped += Evict(sequence, copy, sequence.ResidentCount[copy] - budget, bits: 16, ref table, pool);
            }
            return dropped;
        }

        /// <summary>
        /// CAKE's allocation at the end of the prefill: the copies' budgets beyond the observation window, summed, go to
        /// layer groups in proportion to entropy^(1/τ1) · variance^(1/τ2) of the group's window attention (over its
        /// heads), each capped at what the group holds, the excess shared out again; every head of a group keeps the group's budget.
        /// </summary>
        void SetBudgets(SequenceTokens sequence)
        {
            int budget = _compression.BudgetFor(sequence.Positions);
            // CAKE leaves a prompt that fits alone, and its groups keep the plain budget (as every group does in a uniform split).
            if (_compression.Policy != CompressionPolicy.Cake || sequence.Positions <= budget || _compression.CakeUniformSplit)
            {
                for (int copy = 0; copy < sequence.Copies; copy++) sequence.CopyBudget[copy] = budget;
                return;
            }
            int layers = _attention.Layers, heads = _attention.Heads;
            int window = Math.Min(_compression.ObservationWindow, budget);
            var preference = new double[layers];
            double total = 0;
            for (int layer = 0; layer < layers; layer++)
            {
                double entropy = 0, variance = 0;
                for (int head = 0; head < heads; head++)
                {
                    entropy += sequence.WindowEntropy[layer * heads + head];
                    variance += sequence.WindowVariance[layer * heads + head];
                }
                preference[layer] = Math.Pow(entropy, 1 / _compression.CakeTau1) * Math.Pow(variance, 1 / _compression.CakeTau2);
                total += preference[layer];
            }
            // Each group's share of the pool beyond the windows, capped at what it holds; what a capped group cannot use
            // goes evenly to the others, as CAKE's adjust_budgets does.
            var layerBudget = new int[layers];
            int room = sequence.Positions - window, pool = (budget - window) * layers;
            for (int layer = 0; layer < layers; layer++) layerBudget[layer] = (int)((total > 0 ? preference[layer] / total : 1.0 / layers) * pool);
            for (bool moved = true; moved;)
            {
                moved = false;
                int excess = 0, open = 0;
                for (int layer = 0; layer < layers; layer++)
                {
                    if (layerBudget[layer] > room)
                    {
                        excess += layerBudget[layer] - room;
                        layerBudget[layer] = room;
                    }
                    if (layerBudget[layer] < room) open++;
                }
                if (excess == 0 || open == 0) break;
                for (int layer = 0; layer < layers; layer++)
                    if (layerBudget[layer] < room) layerBudget[layer] += excess / open;
                moved = excess / open > 0;
            }
            for (int layer = 0; layer < layers; layer++)
                for (int head = 0; head < heads; head++) sequence.CopyBudget[layer * heads + head] = window + layerBudget[layer];
        }

        /// <summary>
        /// <c>mikv</c>: demotes the copy's lowest-scored full-precision tokens until its budget (in full-token equivalents)
        /// is met, quantising each one's key and value and moving it to the packed pages; drops low-precision tokens,
        /// lowest first, only when none is left to demote or no page is free to pack into. Returns the tokens dropped.
        /// </summary>
        int Quantize(SequenceTokens sequence, int copy, int budget, ref KvPageTable table, KvBlockPool pool)
        {
            double lowShare = _compression.LowBits / 16.0;
            double cost = sequence.ResidentCount[copy] - sequence.LowPrecisionCount[copy] * (1 - lowShare);
            if (cost <= budget) return 0;
            int demotions = (int)Math.Ceiling((cost - budget) / (1 - lowShare));
            int candidates = Candidates(sequence, copy, bits: 16);
            int demoted = Math.Min(demotions, candidates);
            Select(candidates, demoted);
            int dropped = 0;
            for (int v = 0; v < demoted; v++)
            {
                int index = _residentIndex[_selected[v]];
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[sequence.ResidentAt(copy, index)]);
                int positionalPage = token.Position / pool.BlockTokens;
                if (!EnsurePacked(sequence.TotalLowPrecision + 1, sequence.Copies, ref table, pool))
                {
                    _isVictim[index] = true;
                    _world.Destroy(sequence.Resident[sequence.ResidentAt(copy, index)]);
                    dropped++;
                }
                else
                {
                    token.Bits = (byte)_compression.LowBits;
                    QuantizeRow(sequence, sequence.Keys, sequence.KeyError, copy, token.Position);
                    QuantizeRow(sequence, sequence.Values, sequence.ValueError, copy, token.Position);
                    sequence.LowPrecisionCount[copy]++;
                }
                ReleaseIfEmpty(sequence, positionalPage, ref table, pool);
            }
            Compact(sequence, copy);
            cost = sequence.ResidentCount[copy] - sequence.LowPrecisionCount[copy] * (1 - lowShare);
            if (cost > budget)
            {
                int victims = Evict(sequence, copy, (int)Math.Ceiling((cost - budget) / lowShare), bits: _compression.LowBits, ref table, pool);
                sequence.LowPrecisionCount[copy] -= victims;
                dropped += victims;
                while (table.PackedCount > PackedPagesFor(sequence.TotalLowPrecision, sequence.Copies, pool)) pool.ReleasePackedPage(ref table);
            }
            return dropped;
        }

        /// <summary>
        /// MiKV's per-token asymmetric round-to-nearest quantisation at LowBits: scale (max − min) / (2^b − 1), zero point
        /// min, over the row's elements; its largest-magnitude element (the outlier) stays at full precision. The sink axis
        /// stands for position (the sinks' exemption from recency), not a stored element, and is left alone. Records
        /// dequantised minus true.
        /// </summary>
        void QuantizeRow(SequenceTokens sequence, float[] rows, float[] error, int copy, int position)
        {
            const int quantised = D - 1;
            int start = sequence.RowStart(copy, position);
            int outlier = 0;
            for (int j = 1; j < quantised; j++) if (Math.Abs(rows[start + j]) > Math.Abs(rows[start + outlier])) outlier = j;
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int j = 0; j < quantised; j++)
            {
                if (j == outlier) continue;
                min = Math.Min(min, rows[start + j]);
                max = Math.Max(max, rows[start + j]);
            }
            float scale = (max - min) / ((1 << _compression.LowBits) - 1);
            for (int j = 0; j < quantised; j++)
            {
                float x = rows[start + j];
                float dequantised = j == outlier || scale == 0 ? x : min + scale * (float)Math.Round((x - min) / scale);
                error[start + j] = dequantised - x;
            }
        }

        /// <summary>Makes room in the packed pages for <paramref name="lowPrecisionTokens"/>; false when no page is free.</summary>
        bool EnsurePacked(int lowPrecisionTokens, int copies, ref KvPageTable table, KvBlockPool pool)
        {
            while (table.PackedCount < PackedPagesFor(lowPrecisionTokens, copies, pool))
                if (!pool.TryTakePackedPage(ref table)) return false;
            return true;
        }

        /// <summary>A page holds block_tokens positions of every copy; a low-precision copy takes LowBits / 16 of one slot.</summary>
        int PackedPagesFor(int lowPrecisionTokens, int copies, KvBlockPool pool) =>
            (int)Math.Ceiling(lowPrecisionTokens * (double)_compression.LowBits / (16.0 * pool.BlockTokens * copies));

        /// <summary>Fills the candidate list with the copy's unprotected tokens stored at <paramref name="bits"/>, in position order; returns how many.</summary>
        int Candidates(SequenceTokens sequence, int copy, int bits)
        {
            int resident = sequence.ResidentCount[copy];
            if (_keys.Length < resident)
            {
                int length = Math.Max(resident, _keys.Length * 2);
                _keys = new float[length];
                _residentIndex = new int[length];
                _selected = new int[length];
                _isVictim = new bool[length];
            }
            int candidates = 0;
            for (int i = 0; i < resident; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[sequence.ResidentAt(copy, i)]);
                if (token.Bits != bits || Protected(token.Position, sequence.Positions)) continue;
                _keys[candidates] = RankKey(token, sequence.Positions);
                _residentIndex[candidates++] = i;
            }
            return candidates;
        }

        /// <summary>The <paramref name="count"/> lowest-ranked candidates, ties to the older position, into the first entries of the selection (the backend's kernel).</summary>
        void Select(int candidates, int count) =>
            _backend.SelectLowest(new ReadOnlySpan<float>(_keys, 0, candidates), new Span<int>(_selected, 0, count));

        void Compact(SequenceTokens sequence, int copy)
        {
            int kept = 0;
            for (int i = 0; i < sequence.ResidentCount[copy]; i++)
            {
                if (_isVictim[i]) _isVictim[i] = false;
                else sequence.Resident[sequence.ResidentAt(copy, kept++)] = sequence.Resident[sequence.ResidentAt(copy, i)];
            }
            sequence.ResidentCount[copy] = kept;
        }

        int Evict(SequenceTokens sequence, int copy, int excess, int bits, ref KvPageTable table, KvBlockPool pool)
        {
            int candidates = Candidates(sequence, copy, bits);
            int victims = Math.Min(excess, candidates);
            if (victims == 0) return 0;
            Select(candidates, victims);
            for (int v = 0; v < victims; v++)
            {
                int index = _residentIndex[_selected[v]];
                Entity victim = sequence.Resident[sequence.ResidentAt(copy, index)];
                int page = _world.Get<KvToken>(victim).Position / pool.BlockTokens;
                _world.Destroy(victim);
                _isVictim[index] = true;
                // A low-precision token lives in the packed pages, not on its positional page.
                if (bits == 16) ReleaseIfEmpty(sequence, page, ref table, pool);
            }
            Compact(sequence, copy);
            return victims;
        }

        static void ReleaseIfEmpty(SequenceTokens sequence, int page, ref KvPageTable table, KvBlockPool pool)
        {
            if (--sequence.LivePerPage[page] == 0 && (page + 1) * pool.BlockTokens <= sequence.Positions) pool.ReleasePage(ref table, page);
        }

        bool Protected(int position, int positions) => _compression.Policy switch
        {
            CompressionPolicy.Streaming => position < _compression.Sinks,
            CompressionPolicy.H2o or CompressionPolicy.Lazy or CompressionPolicy.Mikv => position >= positions - _compression.RecentTokens,
            CompressionPolicy.SnapKv or CompressionPolicy.Cake => position >= positions - _compression.ObservationWindow,
            _ => false,
        };

        float RankKey(in KvToken token, int positions) => _compression.Policy switch
        {
            CompressionPolicy.H2o or CompressionPolicy.SnapKv or CompressionPolicy.Cake or CompressionPolicy.Mikv => token.Score,
            CompressionPolicy.Lazy => LazyKey(token, positions),
            _ => token.Position,
        };

        /// <summary>
        /// LazyEviction's MRI-centric priority: how long the token may still go unattended before it is overdue against its
        /// maximum recurrence interval (MRI − steps since it was last important); most overdue first. Tokens never
        /// important rank below all others (ties leave the oldest first).
        /// </summary>
        static float LazyKey(in KvToken token, int positions)
        {
            if (token.LastImportantStep < 0) return float.MinValue;
            return token.MaxRecurrenceInterval - (positions - 1 - token.LastImportantStep);
        }
    }
}
