using Sim.Core.PerfModel;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// Speculative decoding (<c>speculative:</c>): a drafter proposes up to <see cref="K"/> tokens per decoding
    /// sequence, the target verifies them and one more position in a single forward pass, and the leading drafts
    /// accepted (each with its position's <see cref="Acceptance"/>) are kept with one token of the target's own.
    /// </summary>
    public sealed class SpeculativeDecoding
    {
        /// <summary>The drafter: <c>ngram</c> (prompt lookup, free) or a catalog model id run on the same replica.</summary>
        public string Draft { get; set; } = "ngram";

        /// <summary>The draft model's spec; null for <c>ngram</c>.</summary>
        public ModelSpec? DraftModel { get; set; }

        /// <summary>Most draft tokens per verify step.</summary>
        public int K { get; set; } = 4;

        /// <summary>Probability that draft position i (0-based) is accepted given all before it were; the last value repeats.</summary>
        public double[] Acceptance { get; set; } = { 0.8 };

        /// <summary>SpecDec++'s stopping threshold on the predicted probability that a draft so far is rejected; null for a fixed k.</summary>
        public double? AdaptiveThreshold { get; set; }

        public double AcceptanceAt(int position) => Acceptance[position < Acceptance.Length ? position : Acceptance.Length - 1];

        /// <summary>
        /// Draft tokens per step: k, or with SpecDec++ drafting stops at the first token after which the predicted
        /// probability that the draft holds a rejection, 1 - Π acceptance, exceeds the threshold (that token is still
        /// verified). The prediction is the scene's acceptance itself, so the length is the same every step.
        /// </summary>
        public int DraftLength()
        {
            if (AdaptiveThreshold == null) return K;
            double allAccepted = 1;
            for (int i = 0; i < K; i++)
            {
                allAccepted *= AcceptanceAt(i);
                if (1 - allAccepted > AdaptiveThreshold.Value) return i + 1;
            }
            return K;
        }
    }
}
