using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Token mode's eviction, per copy (layer group and head): a copy over its budget loses its lowest-ranked
    /// unprotected tokens (ties to the older position), and a KV page goes back to the pool once every position on it
    /// has been written and left in every copy. Nothing is evicted before the prefill ends. <c>cake</c> splits the
    /// budget across layer groups by their preference; <c>mikv</c> demotes to low precision before it drops. What a policy
    /// protects and how it ranks is its rule (<see cref="TokenRule"/>), computed by the backend's token-key kernel.
    /// </summary>
    internal sealed class TokenEviction
    {
        const int D = AttentionModel.KeyDim;

        readonly World _world;
        readonly KvCompression _compression;
        readonly IComputeBackend _backend;
        readonly AttentionModel _attention;
        readonly TokenRule _rule;
        // Every resident token's key in the copy being ranked (+∞: protected), the token-key kernel's output.
        float[] _tokenKeys = new float[1024];
        // Candidates in resident order: their rank keys (the selection kernel's input) and where they sit in the copy.
        float[] _keys = new float[1024];
        int[] _residentIndex = new int[1024];
        int[] _selected = new int[1024];
        // Resident indices of the tokens a pass removes, for the compaction after it.
        int[] _victims = new int[1024];

        // CAKE's per-group preference and budget beyond the window (SetBudgets' scratch).
        readonly double[] _layerPreference;
        readonly int[] _layerBudget;

        public TokenEviction(World world, KvCompression compression, IComputeBackend backend, AttentionModel attention)
        {
            _layerPreference = new double[attention.Layers];
            _layerBudget = new int[attention.Layers];
            _world = world;
            _compression = compression;
            _backend = backend;
            _attention = attention;
            _rule = compression.Policy.Rule();
        }

        /// <summary>Evicts what the policy says after an iteration; returns the token copies dropped.</summary>
        public int Apply(SequenceTokens sequence, bool prefillEnded, ref KvPageTable table, KvBlockPool pool)
        {
            if (!sequence.PrefillDone || !_rule.Evicts) return 0;
            if (_rule.CompressesOnce && !prefillEnded) return 0;
            int dropped = prefillEnded ? SetBudgets(sequence, ref table, pool) : 0;
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                int budget = _rule.SplitsAcrossLayers ? sequence.CopyBudget[copy] : _compression.BudgetFor(sequence.Positions);
                if (_rule.Demotes)
                {
                    dropped += Quantize(sequence, copy, budget, ref table, pool);
                    continue;
                }
                int allowed = budget + _rule.Slack(_compression);
                if (sequence.ResidentCount[copy] > allowed)
                    dropped += Evict(sequence, copy, sequence.ResidentCount[copy] - budget, bits: 16, ref table, pool);
            }
            return dropped;
        }

        /// <summary>
        /// The copies' budgets at the end of the prefill: the plain budget, or CAKE's cascade. CAKE's prefill runs in one
        /// stage per layer group: once group l has computed its preference (entropy^(1/τ1) · variance^(1/τ2) of its window's
        /// attention, over its heads), groups 0..l split the whole pool beyond the windows, <c>(budget − window) × layers</c>,
        /// by their preferences (<see cref="CakeAllocation"/>) and each evicts down to its share by its indicator; the memory
        /// held never exceeds the pool plus the prompt of the groups not yet reached. Every head of a group keeps the group's
        /// budget for the rest of the decode. Returns the token copies the cascade dropped.
        /// </summary>
        int SetBudgets(SequenceTokens sequence, ref KvPageTable table, KvBlockPool pool)
        {
            int budget = _compression.BudgetFor(sequence.Positions);
            for (int copy = 0; copy < sequence.Copies; copy++) sequence.CopyBudget[copy] = budget;
            if (!_rule.SplitsAcrossLayers || _compression.CakeUniformSplit) return 0;
            int layers = _attention.Layers, heads = _attention.Heads;
            int window = Math.Min(_compression.ObservationWindow, budget);
            // CakeprefillKVCache splits only a prompt longer than the budget plus the window; a shorter one keeps the plain
            // budget in every group, as in the uniform split.
            if (sequence.Positions <= budget + window) return 0;
            for (int layer = 0; layer < layers; layer++)
            {
                double entropy = 0, variance = 0;
                for (int head = 0; head < heads; head++)
                {
                    entropy += sequence.WindowEntropy[layer * heads + head];
                    variance += sequence.WindowVariance[layer * heads + head];
                }
                _layerPreference[layer] = Math.Pow(entropy, 1 / _compression.CakeTau1) * Math.Pow(variance, 1 / _compression.CakeTau2);
            }
            int dropped = 0;
            for (int reached = 1; reached <= layers; reached++)
            {
                CakeAllocation.Split(_layerPreference, reached, (budget - window) * layers, sequence.Positions - window, _layerBudget);
                for (int layer = 0; layer < reached; layer++)
                    for (int head = 0; head < heads; head++)
                    {
                        int copy = layer * heads + head;
                        sequence.CopyBudget[copy] = window + _layerBudget[layer];
                        if (sequence.ResidentCount[copy] > sequence.CopyBudget[copy])
                            dropped += Evict(sequence, copy, sequence.ResidentCount[copy] - sequence.CopyBudget[copy], bits: 16, ref table, pool);
                    }
            }
            return dropped;
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
                int index = _residentIndex[_selected[v]], at = sequence.ResidentAt(copy, index);
                int position = sequence.ResidentPosition[at], positionalPage = position / pool.BlockTokens;
                if (!EnsurePacked(sequence.TotalLowPrecision + 1, sequence.Copies, ref table, pool))
                {
                    _victims[dropped++] = index;
                    _world.Destroy(sequence.Resident[at]);
                }
                else
                {
                    sequence.Bits[at] = (byte)_compression.LowBits;
                    _world.Get<KvToken>(sequence.Resident[at]).Bits = (byte)_compression.LowBits;
                    QuantizeRow(sequence, sequence.Keys, sequence.KeyError, copy, position);
                    QuantizeRow(sequence, sequence.Values, sequence.ValueError, copy, position);
                    sequence.LowPrecisionCount[copy]++;
                }
                ReleaseIfEmpty(sequence, positionalPage, ref table, pool);
            }
            Compact(sequence, copy, dropped);
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
                _tokenKeys = new float[length];
                _keys = new float[length];
                _residentIndex = new int[length];
                _selected = new int[length];
                _victims = new int[length];
            }
            int start = sequence.ResidentAt(copy, 0);
            _backend.TokenKeys(_compression.Policy, TokenKeyArguments.Of(_compression, sequence.Positions),
                new ReadOnlySpan<int>(sequence.ResidentPosition, start, resident), new ReadOnlySpan<float>(sequence.Score, start, resident),
                new ReadOnlySpan<int>(sequence.LastImportantStep, start, resident), new ReadOnlySpan<int>(sequence.MaxRecurrenceInterval, start, resident),
                new Span<float>(_tokenKeys, 0, resident));
            int candidates = 0;
            for (int i = 0; i < resident; i++)
            {
                if (sequence.Bits[start + i] != bits || float.IsPositiveInfinity(_tokenKeys[i])) continue;
                _keys[candidates] = _tokenKeys[i];
                _residentIndex[candidates++] = i;
            }
            return candidates;
        }

        /// <summary>The <paramref name="count"/> lowest-ranked candidates, ties to the older position, into the first entries of the selection (the backend's kernel).</summary>
        void Select(int candidates, int count) =>
            _backend.SelectLowest(new ReadOnlySpan<float>(_keys, 0, candidates), new Span<int>(_selected, 0, count));

        /// <summary>Closes the gaps the first <paramref name="victims"/> victims left, moving the runs of kept tokens between them whole.</summary>
        void Compact(SequenceTokens sequence, int copy, int victims)
        {
            if (victims == 0) return;
            Array.Sort(_victims, 0, victims);
            int resident = sequence.ResidentCount[copy];
            for (int v = 0; v < victims; v++)
            {
                int runStart = _victims[v] + 1, runEnd = v + 1 < victims ? _victims[v + 1] : resident;
                // The run after the v-th victim moves v + 1 places down.
                sequence.MoveResidents(copy, runStart, runStart - (v + 1), runEnd - runStart);
            }
            sequence.ResidentCount[copy] = resident - victims;
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
                int at = sequence.ResidentAt(copy, index);
                int page = sequence.ResidentPosition[at] / pool.BlockTokens;
                _world.Destroy(sequence.Resident[at]);
                _victims[v] = index;
                // A low-precision token lives in the packed pages, not on its positional page.
                if (bits == 16) ReleaseIfEmpty(sequence, page, ref table, pool);
            }
            Compact(sequence, copy, victims);
            return victims;
        }

        static void ReleaseIfEmpty(SequenceTokens sequence, int page, ref KvPageTable table, KvBlockPool pool)
        {
            if (--sequence.LivePerPage[page] == 0 && (page + 1) * pool.BlockTokens <= sequence.Positions) pool.ReleasePage(ref table, page);
        }
    }
}
