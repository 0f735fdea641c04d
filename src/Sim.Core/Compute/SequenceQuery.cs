namespace Sim.Core.Compute
{
    /// <summary>
    /// One sequence's part of a resident attention step (the element of shaders/layouts.glsl's SequenceQuery): its
    /// positions in the key column, the slot that holds a new token this step, and its query.
    /// </summary>
    public struct SequenceQuery
    {
        /// <summary>The sequence's first position in the key and score columns.</summary>
        public int FirstPosition;

        /// <summary>Positions the sequence holds (at least 2: one fresh and one that may leave).</summary>
        public int Count;

        /// <summary>The slot (0 .. Count - 1) whose token is new this step: its score restarts, and it is never the victim.</summary>
        public int FreshSlot;

        public float RecencyDecayPerToken;

        /// <summary>The query, <see cref="Tokens.AttentionModel.KeyDim"/> floats (fields, so the struct maps onto the shader's).</summary>
        public float Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7;

        /// <summary>Throws unless the sequence lies within <paramref name="positions"/> and has at least 2 positions, the fresh slot among them.</summary>
        public void CheckFits(int positions)
        {
            if (Count < 2 || FirstPosition < 0 || Count > positions - FirstPosition || FreshSlot < 0 || FreshSlot >= Count)
                throw new System.ArgumentException("a sequence of " + Count + " positions from " + FirstPosition + " (fresh slot "
                    + FreshSlot + ") does not fit " + positions + " positions");
        }

        internal void CopyQuery(System.Span<float> query)
        {
            query[0] = Q0; query[1] = Q1; query[2] = Q2; query[3] = Q3;
            query[4] = Q4; query[5] = Q5; query[6] = Q6; query[7] = Q7;
        }
    }
}
