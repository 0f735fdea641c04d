using System;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// The profile model's price of a batch of decodes alone: every operator but decode attention, and everything outside the
    /// layers, depends on the number of sequences alone (num_tokens is the batch size, a decode batch has no prefill calls),
    /// and so does where the batch size falls on each context level of the decode surface; those are worked out once per batch
    /// size, and each batch adds them in the order <see cref="IterationTimeS"/> does, so the sum is the very same.
    /// </summary>
    public sealed partial class ProfilePerfModel
    {
        /// <summary>What a decode batch of one size costs but for its decode attention, in the terms and the order of the operator sum.</summary>
        sealed class DecodeTerms
        {
            public DecodeTerms(double beforeAttentionS, double[] afterAttentionS, double[]? attentionByLevelS, double outsideLayersS)
            {
                BeforeAttentionS = beforeAttentionS;
                AfterAttentionS = afterAttentionS;
                AttentionByLevelS = attentionByLevelS;
                OutsideLayersS = outsideLayersS;
            }

            // Σ of the layer's operators before decode attention, summed in order from 0.
            public readonly double BeforeAttentionS;
            // The layer's operators after decode attention, in order.
            public readonly double[] AfterAttentionS;
            // The decode surface's curve of each context level at this batch size (null when the roofline fills decode attention in).
            public readonly double[]? AttentionByLevelS;
            public readonly double OutsideLayersS;
        }

        // Per decode batch size, its terms (built at its first batch).
        readonly SizeMemo<DecodeTerms> _decodeTerms = new SizeMemo<DecodeTerms>();

        /// <summary>The decode surface reads the mean context, untiled; only the roofline's decode attention, filling in for a missing surface, reads tiles.</summary>
        public int DecodeKvTile => _decodeByBatchAndContext != null ? 1 : _efficiency.AttentionDecodeKvTile;

        public double DecodeBatchS(int sequences, double kvTokens, double tiledKvTokens)
        {
            DecodeTerms terms = DecodeTermsOf(sequences);
            // Decode attention as OperatorS has it: the surface at (batch size, mean context), here from the size's curve values.
            double attentionS = _decodeByBatchAndContext != null
                ? _decodeByBatchAndContext.AtLevels(terms.AttentionByLevelS!, kvTokens / sequences - 1)
                : _roofline.OperatorS(AttnDecode, BatchShape.Decodes(sequences, kvTokens, tiledKvTokens));
            double layerS = terms.BeforeAttentionS + attentionS;
            foreach (double opS in terms.AfterAttentionS) layerS += opS;
            return _layers * layerS + terms.OutsideLayersS;
        }

        // The kept terms, a look-up small enough to inline into every decode batch's price; a new size's are built aside.
        DecodeTerms DecodeTermsOf(int sequences) =>
            _decodeTerms.Find(sequences) ?? NewDecodeTerms(sequences);

        DecodeTerms NewDecodeTerms(int sequences)
        {
            // The sums of KV tokens are read by decode attention alone, which is not taken from this shape.
            BatchShape shape = BatchShape.Decodes(sequences, sequences, sequences);
            PiecewiseLinear.Segment tokens = PiecewiseLinear.Locate(_mlpTokens, shape.Tokens);
            // The operators read the shape alone, but for prefill attention, which reads the batch's prefill chunks: none here.
            double beforeS = 0;
            for (int op = 0; op < AttnDecode; op++) beforeS += OperatorS(op, default, shape, tokens);
            var afterS = new double[_byTokens.Length - AttnDecode - 1];
            for (int op = AttnDecode + 1; op < _byTokens.Length; op++) afterS[op - AttnDecode - 1] = OperatorS(op, default, shape, tokens);
            var terms = new DecodeTerms(beforeS, afterS, _decodeByBatchAndContext?.LevelsAt(sequences), _roofline.OutsideLayersS(shape));
            return _decodeTerms.Keep(sequences, terms);
        }
    }
}
