namespace Sim.Core.Components
{
    /// <summary>One resident KV token of a sequence in token mode (<c>kv.token_level</c>): one copy (layer group and head) of one position.</summary>
    public struct KvToken
    {
        /// <summary>The sequence's slot in the token store.</summary>
        public int Sequence;

        public int Position;

        /// <summary>The copy: layer group × heads + head.</summary>
        public int Copy;

        /// <summary>
        /// The policy's importance: attention accumulated over every query so far (<c>h2o</c>, <c>mikv</c>), the pooled
        /// observation-window vote (<c>snapkv</c>), or mean + γ·variance of the window's attention (<c>cake</c>).
        /// </summary>
        public float Score;

        /// <summary>Last step (position of the query) that gave it more than an even share; -1 before any.</summary>
        public int LastImportantStep;

        /// <summary>LazyEviction's maximum recurrence interval: the longest gap between steps that gave it more than an even share; 0 until it recurs.</summary>
        public int MaxRecurrenceInterval;

        /// <summary>Bits per stored element.</summary>
        public byte Bits;
    }
}
