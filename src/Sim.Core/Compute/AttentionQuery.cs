namespace Sim.Core.Compute
{
    /// <summary>
    /// One query of a resident attention pass (the element of shaders/layouts.glsl's AttentionQuery): the positions of
    /// the key column it attends over, where its probabilities go in the pass's output, and the query itself.
    /// </summary>
    public struct AttentionQuery
    {
        /// <summary>The first key position the query attends over.</summary>
        public int FirstPosition;

        /// <summary>Positions attended over, at least 1; the last is the query's own (no recency penalty).</summary>
        public int Count;

        /// <summary>Where probability 0 goes in the pass's output; the query owns Count floats from there.</summary>
        public int OutputOffset;

        public float RecencyDecayPerToken;

        /// <summary>The query, <see cref="Tokens.AttentionModel.KeyDim"/> floats (fields, so the struct maps onto the shader's).</summary>
        public float Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7;

        /// <summary>Throws unless the query's keys lie within <paramref name="positions"/> and its output within <paramref name="outputs"/>.</summary>
        public void CheckFits(int positions, int outputs)
        {
            if (Count < 1 || FirstPosition < 0 || Count > positions - FirstPosition || OutputOffset < 0 || Count > outputs - OutputOffset)
                throw new System.ArgumentException("a query over " + Count + " positions from " + FirstPosition + " (output at " + OutputOffset
                    + ") does not fit " + positions + " positions and " + outputs + " outputs");
        }

        public void SetQuery(System.ReadOnlySpan<float> query)
        {
            Q0 = query[0]; Q1 = query[1]; Q2 = query[2]; Q3 = query[3];
            Q4 = query[4]; Q5 = query[5]; Q6 = query[6]; Q7 = query[7];
        }

        internal void CopyQuery(System.Span<float> query)
        {
            query[0] = Q0; query[1] = Q1; query[2] = Q2; query[3] = Q3;
            query[4] = Q4; query[5] = Q5; query[6] = Q6; query[7] = Q7;
        }
    }
}
