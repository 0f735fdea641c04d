using System;
using Sim.Core.Compute;
using Sim.Core.Tokens.Policies;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Token mode's attention: a query attends over all of a sequence's positions (the full cache, through the backend's
    /// kernel) in every copy (layer group and head); the kept cache's attention is the same softmax over its resident
    /// tokens (a low-precision token's logit and value moved by its quantisation error). What the policy needs is
    /// credited to the resident tokens, and a decode step measures what the kept cache lost: the full cache's mass on
    /// resident tokens, and the output error ‖o_full − o_kept‖ with the synthetic values.
    /// </summary>
    internal sealed class TokenScoring
    {
        const int D = AttentionModel.KeyDim;

        readonly AttentionModel _attention;
        readonly KvCompression _compression;
        readonly IComputeBackend _backend;
        readonly TokenRule _rule;
        readonly StepAttention? _step;
        readonly float[] _query = new float[D];
        readonly double[] _full = new double[D], _kept = new double[D];
        float[] _probabilities = new float[1024];
        double[] _weights = new double[1024], _windowSum = new double[1024], _windowSquares = new double[1024];
        // The kept cache's total weight at the last query (the denominator of its softmax), and its tokens up to the query.
        double _weightSum;
        int _visible;

        /// <param name="step">Where the step's probabilities come from when they are computed once a step over resident keys; null: the backend's per-call kernel.</param>
        public TokenScoring(AttentionModel attention, KvCompression compression, IComputeBackend backend, StepAttention? step)
        {
            _attention = attention;
            _compression = compression;
            _backend = backend;
            _rule = compression.Policy.Rule();
            _step = step;
        }

        /// <summary>
        /// Plans with <see cref="StepAttention"/> the queries <paramref name="fromQuery"/> .. <paramref name="toQuery"/> − 1 of
        /// every copy, in the order <see cref="Attend"/>, <see cref="ScorePromptQueries"/> and <see cref="ObserveWindow"/>
        /// take them (copy after copy, queries in order within each).
        /// </summary>
        public void PlanQueries(int slot, SequenceTokens sequence, int fromQuery, int toQuery)
        {
            StepAttention step = _step ?? throw new InvalidOperationException("no resident attention to plan on");
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                float decay = _attention.RecencyDecay(_attention.LayerOf(copy));
                for (int query = fromQuery; query < toQuery; query++)
                {
                    _attention.QueryOf(copy, sequence.RequestId, query, sequence.PromptTokens, _query);
                    step.Plan(slot, sequence, copy, query, decay, _query);
                }
            }
        }

        /// <summary>What one step cost the kept cache, averaged over copies.</summary>
        public readonly struct StepLoss
        {
            public StepLoss(double retainedMass, double outputError)
            {
                RetainedMass = retainedMass;
                OutputError = outputError;
            }

            public double RetainedMass { get; }

            public double OutputError { get; }
        }

        /// <summary>
        /// Every copy attends from <paramref name="queryPosition"/> and credits its resident tokens as the policy scores
        /// them (accumulated attention, recurrence); returns the full cache's mass on resident tokens and the output error.
        /// </summary>
        public StepLoss Attend(SequenceTokens sequence, int queryPosition)
        {
            int count = queryPosition + 1;
            Grow(count);
            double massSum = 0, errorSum = 0;
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                Probabilities(sequence, copy, queryPosition);
                massSum += KeptAttention(sequence, copy, queryPosition, out double error);
                errorSum += error;
                Credit(sequence, copy, queryPosition);
            }
            return new StepLoss(massSum / sequence.Copies, errorSum / sequence.Copies);
        }

        /// <summary>
        /// H2O's scores from a prefill chunk's queries: nothing is evicted before the prefill ends, so every position up to
        /// a query is resident and its share of the kept cache is its full-cache probability; each copy's shares add up
        /// by position in <see cref="SequenceTokens.PromptScore"/> (in query order, so chunking changes nothing).
        /// </summary>
        public void ScorePromptQueries(SequenceTokens sequence, int fromQuery, int toQuery)
        {
            Grow(toQuery);
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                int start = copy * sequence.Capacity;
                for (int query = fromQuery; query < toQuery; query++)
                {
                    Probabilities(sequence, copy, query);
                    for (int i = 0; i <= query; i++) sequence.PromptScore[start + i] += _probabilities[i];
                }
            }
        }

        /// <summary>The end of the prefill: each token's score is what the prompt's queries gave it.</summary>
        public void SetPromptScores(SequenceTokens sequence)
        {
            for (int copy = 0; copy < sequence.Copies; copy++)
                for (int r = 0; r < sequence.ResidentCount[copy]; r++)
                {
                    int at = sequence.ResidentAt(copy, r);
                    sequence.Score[at] = (float)sequence.PromptScore[copy * sequence.Capacity + sequence.ResidentPosition[at]];
                }
        }

        /// <summary>
        /// The end of a prefill, for policies that score the prompt from its last queries (SnapKV, CAKE, LazyEviction):
        /// the last <see cref="KvCompression.ObservationWindow"/> queries attend. SnapKV and CAKE set each token's score to
        /// the window's vote, average-pooled over neighbouring positions, and keep the window's entropy and variance (CAKE's layer preference).
        /// LazyEviction tracks recurrence over the window as over any step.
        /// </summary>
        public void ObserveWindow(SequenceTokens sequence)
        {
            int positions = sequence.Positions;
            int window = Math.Min(_compression.ObservationWindow, positions);
            Grow(positions);
            for (int copy = 0; copy < sequence.Copies; copy++)
            {
                Array.Clear(_windowSum, 0, positions);
                Array.Clear(_windowSquares, 0, positions);
                double entropy = 0;
                for (int query = positions - window; query < positions; query++)
                {
                    Probabilities(sequence, copy, query);
                    if (_rule.Window == WindowUse.Credit)
                    {
                        KeptAttention(sequence, copy, query, out _);
                        Credit(sequence, copy, query);
                        continue;
                    }
                    for (int i = 0; i < positions - window; i++)
                    {
                        double p = _probabilities[i];
                        _windowSum[i] += p;
                        _windowSquares[i] += p * p;
                        if (p > 0) entropy -= p * Math.Log(p);
                    }
                }
                if (_rule.Window == WindowUse.Vote) SetWindowScores(sequence, copy, positions - window, window, entropy);
            }
        }

        /// <summary>Scores from the window's attention over the positions before it (the rule's weight: SnapKV's summed vote, CAKE's mean + γ·variance); then an average pool.</summary>
        void SetWindowScores(SequenceTokens sequence, int copy, int scored, int window, double entropy)
        {
            double varianceSum = 0;
            for (int i = 0; i < scored; i++)
            {
                double mean = _windowSum[i] / window;
                // The unbiased variance over the window's queries, as torch.var takes it.
                double variance = window > 1 ? Math.Max(0, (_windowSquares[i] - window * mean * mean) / (window - 1)) : 0;
                varianceSum += variance;
                _weights[i] = _rule.WindowWeight(_windowSum[i], mean, variance, _compression);
            }
            sequence.WindowEntropy[copy] = entropy;
            sequence.WindowVariance[copy] = varianceSum;
            int half = _compression.PoolKernel / 2;
            for (int r = 0; r < sequence.ResidentCount[copy]; r++)
            {
                int at = sequence.ResidentAt(copy, r), position = sequence.ResidentPosition[at];
                if (position >= scored) break;
                // avg_pool1d with zero padding: the sum over the kernel divided by its full width.
                double pooled = 0;
                for (int i = Math.Max(0, position - half); i <= Math.Min(scored - 1, position + half); i++) pooled += _weights[i];
                sequence.Score[at] = (float)(pooled / _compression.PoolKernel);
            }
        }

        void Grow(int count)
        {
            if (_probabilities.Length >= count) return;
            int length = Math.Max(count, _probabilities.Length * 2);
            _probabilities = new float[length];
            _weights = new double[length];
            _windowSum = new double[length];
            _windowSquares = new double[length];
        }

        void Probabilities(SequenceTokens sequence, int copy, int queryPosition)
        {
            int count = queryPosition + 1;
            _attention.QueryOf(copy, sequence.RequestId, queryPosition, sequence.PromptTokens, _query);
            if (_step != null) _step.Take(sequence, copy, queryPosition, _probabilities);
            else _backend.AttentionProbabilities(sequence.KeysOf(copy, count), count, _query, _attention.RecencyDecay(_attention.LayerOf(copy)), _probabilities);
        }

        /// <summary>
        /// The kept cache's attention weights over the copy's resident tokens up to the query (into the weights, in
        /// resident order, unnormalised); returns the full cache's mass on them and sets the output error.
        /// </summary>
        double KeptAttention(SequenceTokens sequence, int copy, int queryPosition, out double error)
        {
            Array.Clear(_full, 0, D);
            Array.Clear(_kept, 0, D);
            float[] values = sequence.Values;
            int rowStart = sequence.RowStart(copy, 0);
            WeightedRows.AddAll(_full, values, rowStart, _probabilities, queryPosition + 1);
            double mass = 0, weightSum = 0;
            int r = 0;
            if (sequence.LowPrecisionCount[copy] == 0)
            {
                // Every token at full precision: its weight is its probability; the weighted rows are summed in one pass after.
                int first = sequence.ResidentAt(copy, 0);
                for (; r < sequence.ResidentCount[copy]; r++)
                {
                    int position = sequence.ResidentPosition[first + r];
                    if (position > queryPosition) break;
                    double p = _probabilities[position];
                    mass += p;
                    _weights[r] = p;
                    weightSum += p;
                }
                WeightedRows.AddAt(_kept, values, rowStart, _weights, sequence.ResidentPosition, first, r);
            }
            else
            {
                for (; r < sequence.ResidentCount[copy]; r++)
                {
                    int at = sequence.ResidentAt(copy, r), position = sequence.ResidentPosition[at];
                    if (position > queryPosition) break;
                    double p = _probabilities[position];
                    mass += p;
                    int row = sequence.RowStart(copy, position);
                    double weight = p;
                    if (sequence.Bits[at] != 16)
                    {
                        // The dequantised key moves the logit by q·(k' − k): the weight scales by its exponential.
                        double shift = 0;
                        for (int j = 0; j < D; j++) shift += _query[j] * sequence.KeyError[row + j];
                        weight = p * Math.Exp(shift);
                        WeightedRows.Add(_kept, sequence.ValueError, row, weight);
                    }
                    _weights[r] = weight;
                    weightSum += weight;
                    WeightedRows.Add(_kept, values, row, weight);
                }
            }
            double squared = 0;
            for (int j = 0; j < D; j++)
            {
                double difference = _full[j] - (weightSum > 0 ? _kept[j] / weightSum : 0);
                squared += difference * difference;
            }
            error = Math.Sqrt(squared);
            _weightSum = weightSum;
            _visible = r;
            return mass;
        }

        /// <summary>Credits the resident tokens up to the query with their share of the kept cache's attention (weights from <see cref="KeptAttention"/>).</summary>
        void Credit(SequenceTokens sequence, int copy, int queryPosition)
        {
            if (_weightSum <= 0) return;
            bool accumulates = _rule.DecodeCredit == TokenCredit.Accumulate;
            bool recurs = _rule.DecodeCredit == TokenCredit.Recurrence;
            bool current = _rule.DecodeCredit == TokenCredit.PooledCurrent && sequence.PrefillDone;
            if (!accumulates && !recurs && !current) return;
            int visible = _visible;
            double evenShare = 1.0 / visible;
            int half = _compression.PoolKernel / 2;
            for (int r = 0; r < visible; r++)
            {
                int at = sequence.ResidentAt(copy, r);
                double share = _weights[r] / _weightSum;
                if (accumulates) sequence.Score[at] += (float)share;
                else if (current)
                {
                    // CAKE's decoding indicator: this step's attention, average-pooled over neighbouring cache entries.
                    double pooled = 0;
                    for (int i = Math.Max(0, r - half); i <= Math.Min(visible - 1, r + half); i++) pooled += _weights[i];
                    sequence.Score[at] = (float)(pooled / _weightSum / _compression.PoolKernel);
                }
                else if (share > evenShare)
                {
                    int last = sequence.LastImportantStep[at];
                    if (last >= 0) sequence.MaxRecurrenceInterval[at] = Math.Max(sequence.MaxRecurrenceInterval[at], queryPosition - last);
                    sequence.LastImportantStep[at] = queryPosition;
                }
            }
        }
    }
}
