using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Metrics;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// World resource of token mode: every resident KV token of an active sequence is a <see cref="KvToken"/> entity.
    /// After each iteration a sequence's new positions become tokens, a decode step's query attends over all its
    /// positions (the attention kernel), resident tokens accumulate their renormalised share, and the compression
    /// policy evicts down to the budget. A KV page is freed once every position on it has been written and evicted.
    /// </summary>
    public sealed class TokenStore
    {
        readonly World _world;
        readonly AttentionModel _attention;
        readonly KvCompression _compression;
        readonly IComputeBackend _backend;
        readonly List<SequenceTokens> _sequences = new List<SequenceTokens>();
        readonly Stack<int> _freeSlots = new Stack<int>();
        readonly float[] _query = new float[AttentionModel.KeyDim];
        float[] _probabilities = new float[1024];
        (float Key, int Index)[] _candidates = new (float, int)[1024];
        bool[] _isVictim = new bool[1024];

        public TokenStore(World world, AttentionModel attention, KvCompression compression, IComputeBackend backend)
        {
            _world = world;
            _attention = attention;
            _compression = compression;
            _backend = backend;
        }

        public KvCompressionStats Stats { get; } = new KvCompressionStats();

        /// <summary>Resident tokens of the sequence in <paramref name="slot"/>.</summary>
        public int ResidentTokens(int slot) => _sequences[slot].ResidentCount;

        public int Open(long requestId)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _sequences[slot].Reset(requestId);
            return slot;
        }

        /// <summary>The sequence ended or lost its KV: its tokens go.</summary>
        public void Close(int slot)
        {
            SequenceTokens sequence = _sequences[slot];
            for (int i = 0; i < sequence.ResidentCount; i++) _world.Destroy(sequence.Resident[i]);
            sequence.ResidentCount = 0;
            _freeSlots.Push(slot);
        }

        int AddSlot()
        {
            _sequences.Add(new SequenceTokens());
            return _sequences.Count - 1;
        }

        /// <summary>
        /// Applies an iteration that computed positions [<paramref name="fromPosition"/>, <paramref name="toPosition"/>) of the
        /// sequence: tokens, attention, eviction and freed pages. Returns the tokens evicted.
        /// </summary>
        /// <param name="emitsToken">Whether the iteration ends with the sequence producing an output token (a decode, or the end of a prefill).</param>
        public int Advance(int slot, int fromPosition, int toPosition, bool emitsToken, ref KvPageTable table, KvBlockPool pool, double iterationS)
        {
            SequenceTokens sequence = _sequences[slot];
            int blockTokens = pool.BlockTokens;
            sequence.EnsureCapacity(toPosition, pool.PagesFor(toPosition));
            for (int position = fromPosition; position < toPosition; position++)
            {
                _attention.KeyOf(sequence.RequestId, position, new Span<float>(sequence.Keys, position * AttentionModel.KeyDim, AttentionModel.KeyDim));
                sequence.Resident[sequence.ResidentCount++] = _world.Create(new KvToken { Sequence = slot, Position = position, LastAttendedStep = -1, Bits = 16 });
                sequence.LivePerPage[position / blockTokens]++;
            }
            sequence.Positions = toPosition;
            bool decode = toPosition - fromPosition == 1 && fromPosition > 0 && emitsToken && sequence.ResidentCount > 1;
            if (decode) Attend(sequence, toPosition - 1, recordMass: true);
            else if (emitsToken && NeedsScores) ObservePrefill(sequence);

            int budget = _compression.BudgetFor(toPosition);
            int evicted = 0;
            bool compresses = _compression.Policy switch
            {
                CompressionPolicy.Full => false,
                CompressionPolicy.SnapKv => emitsToken && !decode,
                _ => true,
            };
            int allowed = _compression.Policy == CompressionPolicy.Lazy ? budget + _compression.LazySlack : budget;
            if (compresses && sequence.ResidentCount > allowed) evicted = Evict(sequence, sequence.ResidentCount - budget, ref table, pool);
            Stats.AddSequenceIteration(sequence.ResidentCount, toPosition, iterationS);
            return evicted;
        }

        bool NeedsScores => _compression.Policy == CompressionPolicy.H2o || _compression.Policy == CompressionPolicy.SnapKv || _compression.Policy == CompressionPolicy.Lazy;

        /// <summary>The query at <paramref name="queryPosition"/> attends over positions up to it; resident tokens there get their renormalised share.</summary>
        void Attend(SequenceTokens sequence, int queryPosition, bool recordMass)
        {
            int count = queryPosition + 1;
            if (_probabilities.Length < count) _probabilities = new float[Math.Max(count, _probabilities.Length * 2)];
            _attention.QueryOf(sequence.RequestId, queryPosition, _query);
            _backend.AttentionProbabilities(new ReadOnlySpan<float>(sequence.Keys, 0, count * AttentionModel.KeyDim), count, _query, _attention.RecencyDecayPerToken, _probabilities);
            double mass = 0;
            int visible = 0;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                int position = _world.Get<KvToken>(sequence.Resident[i]).Position;
                if (position > queryPosition) break;
                mass += _probabilities[position];
                visible++;
            }
            if (recordMass) Stats.RetainedMass.Add(mass);
            if (mass <= 0) return;
            float evenShare = 1f / visible;
            for (int i = 0; i < visible; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[i]);
                float share = (float)(_probabilities[token.Position] / mass);
                token.Score += share;
                if (share <= evenShare) continue;
                if (token.LastAttendedStep >= 0)
                {
                    float gap = queryPosition - token.LastAttendedStep;
                    token.RecurrenceInterval = token.RecurrenceInterval == 0 ? gap : 0.5f * (token.RecurrenceInterval + gap);
                }
                token.LastAttendedStep = queryPosition;
            }
        }

        /// <summary>The end of a prefill: the last prompt positions' queries score the prompt (SnapKV's observation window).</summary>
        void ObservePrefill(SequenceTokens sequence)
        {
            int window = Math.Min(_compression.ObservationWindow, sequence.Positions);
            for (int query = sequence.Positions - window; query < sequence.Positions; query++)
                Attend(sequence, query, recordMass: false);
        }

        /// <summary>Evicts the <paramref name="excess"/> lowest-ranked unprotected tokens; frees pages left without tokens.</summary>
        int Evict(SequenceTokens sequence, int excess, ref KvPageTable table, KvBlockPool pool)
        {
            int candidates = 0;
            if (_candidates.Length < sequence.ResidentCount)
            {
                _candidates = new (float, int)[Math.Max(sequence.ResidentCount, _candidates.Length * 2)];
                _isVictim = new bool[_candidates.Length];
            }
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[i]);
                if (Protected(token.Position, sequence.Positions)) continue;
                _candidates[candidates++] = (RankKey(token, sequence.Positions), i);
            }
            int victims = Math.Min(excess, candidates);
            if (victims == 0) return 0;
            // Lowest key first; ties to the older position (candidates are in position order and the sort is by both).
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
            Stats.TokensEvicted += victims;
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
            CompressionPolicy.H2o or CompressionPolicy.Lazy => position >= positions - _compression.RecentTokens,
            CompressionPolicy.SnapKv => position >= positions - _compression.ObservationWindow,
            _ => false,
        };

        float RankKey(in KvToken token, int positions) => _compression.Policy switch
        {
            CompressionPolicy.H2o or CompressionPolicy.SnapKv => token.Score,
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
