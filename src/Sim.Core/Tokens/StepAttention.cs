using System;
using System.Collections.Generic;
using Sim.Core.Compute;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Token mode's attention as one pass a step over resident keys (<see cref="IResidentBackend"/>): before any sequence's
    /// step is applied, every query the step's sequences will take (of every replica whose batch ends now) is planned, in
    /// the order <see cref="TokenScoring"/> takes them; the keys written since the last step go up
    /// (<see cref="ResidentKeyColumn"/>); the first query taken runs the pass over all of them and brings their
    /// probabilities back; each is then taken in turn. A pass is bounded by <see cref="MaxOutputsPerPass"/>
    /// probabilities: a step past that (long prefill chunks whose every query is scored) runs as several passes,
    /// each when its first query is taken. The kernel is the per-call one over the same keys, so the results are its bits.
    /// </summary>
    internal sealed class StepAttention : IDisposable
    {
        /// <summary>Probabilities one pass may bring back (16 MB): every decode step fits many times over.</summary>
        const int MaxOutputsPerPass = 1 << 22;

        readonly ResidentKeyColumn _keys;
        readonly List<int> _slots = new List<int>();
        AttentionQuery[] _queries = new AttentionQuery[64];
        SequenceTokens[] _sequenceOf = new SequenceTokens[64];
        int[] _slotOf = new int[64], _copyOf = new int[64];
        float[] _output = new float[1024];
        // Queries planned this step, the next to take, and the end of those the last pass computed.
        int _planned, _next, _passEnd;

        public StepAttention(IResidentKernels kernels)
        {
            _keys = new ResidentKeyColumn(kernels);
        }

        /// <summary>Passes run so far (one submission each on a device).</summary>
        public long Passes { get; private set; }

        /// <summary>Steps with at least one query so far.</summary>
        public long Steps { get; private set; }

        public ResidentKeyColumn Keys => _keys;

        /// <summary>A query to be taken this step: from <paramref name="queryPosition"/> over the copy's positions up to it.</summary>
        public void Plan(int slot, SequenceTokens sequence, int copy, int queryPosition, float recencyDecayPerToken, ReadOnlySpan<float> query)
        {
            // A slot's queries are planned together (a sequence is in one batch a step; a repeat would only sync twice).
            if (_planned == 0 || _slotOf[_planned - 1] != slot) _slots.Add(slot);
            if (_planned == _queries.Length)
            {
                int length = _planned * 2;
                Array.Resize(ref _queries, length);
                Array.Resize(ref _sequenceOf, length);
                Array.Resize(ref _slotOf, length);
                Array.Resize(ref _copyOf, length);
            }
            ref AttentionQuery planned = ref _queries[_planned];
            planned.Count = queryPosition + 1;
            planned.RecencyDecayPerToken = recencyDecayPerToken;
            planned.SetQuery(query);
            _sequenceOf[_planned] = sequence;
            _slotOf[_planned] = slot;
            _copyOf[_planned] = copy;
            _planned++;
        }

        /// <summary>The planning is over: the step's keys go up and each query learns where its copy's keys lie.</summary>
        public void Seal(List<SequenceTokens> sequences)
        {
            if (_planned == 0) return;
            _keys.Sync(_slots, sequences);
            for (int q = 0; q < _planned; q++) _queries[q].FirstPosition = _keys.FirstPosition(_slotOf[q], _copyOf[q]);
            Steps++;
        }

        /// <summary>The next planned query's probabilities into <paramref name="probabilities"/>; it must be this one.</summary>
        public void Take(SequenceTokens sequence, int copy, int queryPosition, Span<float> probabilities)
        {
            if (_next >= _planned || _sequenceOf[_next] != sequence || _copyOf[_next] != copy || _queries[_next].Count != queryPosition + 1)
                throw new InvalidOperationException("attention taken out of its planned order (copy " + copy + ", query " + queryPosition + ")");
            if (_next == _passEnd) RunPass();
            AttentionQuery query = _queries[_next++];
            new ReadOnlySpan<float>(_output, query.OutputOffset, query.Count).CopyTo(probabilities);
        }

        /// <summary>The step is over: every planned query must have been taken.</summary>
        public void End()
        {
            if (_next != _planned) throw new InvalidOperationException((_planned - _next) + " planned attention queries were not taken");
            _planned = _next = _passEnd = 0;
            _slots.Clear();
            Array.Clear(_sequenceOf, 0, _sequenceOf.Length);
        }

        /// <summary>One pass from the next query over as many as fit <see cref="MaxOutputsPerPass"/> (at least one).</summary>
        void RunPass()
        {
            int outputs = 0, end = _next;
            while (end < _planned && (end == _next || outputs + _queries[end].Count <= MaxOutputsPerPass))
            {
                _queries[end].OutputOffset = outputs;
                outputs += _queries[end++].Count;
            }
            if (_output.Length < outputs) _output = new float[Math.Max(outputs, _output.Length * 2)];
            _keys.Column.Probabilities(new ReadOnlySpan<AttentionQuery>(_queries, _next, end - _next), _output);
            _passEnd = end;
            Passes++;
        }

        public void Dispose() => _keys.Dispose();
    }
}
