namespace Sim.Core.Components
{
    /// <summary>One resident KV token of a sequence in token mode (<c>kv.token_level</c>).</summary>
    public struct KvToken
    {
        /// <summary>The sequence's slot in the token store.</summary>
        public int Sequence;

        public int Position;

        /// <summary>The layer group this copy of the token's KV belongs to (always 0 unless the policy splits by layer).</summary>
        public int Layer;

        /// <summary>Attention it has received, summed over steps (each step's share renormalised over resident tokens).</summary>
        public float Score;

        /// <summary>Last step (position of the query) that gave it more than an even share; -1 before any.</summary>
        public int LastAttendedStep;

        /// <summary>Steps between those attentions, averaged (half the last gap plus half the previous average); 0 until it recurs.</summary>
        public float RecurrenceInterval;

        /// <summary>Bits per stored element.</summary>
        public byte Bits;
    }
}
