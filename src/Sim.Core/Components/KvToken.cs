namespace Sim.Core.Components
{
    /// <summary>
    /// One resident KV token of a sequence in token mode (<c>kv.token_level</c>): one copy (layer group and head) of one
    /// position. Its policy state (scores, recurrence) lives in the token store's columns beside its entity, where the
    /// per-step loops over every resident token read it.
    /// </summary>
    public struct KvToken
    {
        /// <summary>The sequence's slot in the token store.</summary>
        public int Sequence;

        public int Position;

        /// <summary>The copy: layer group × heads + head.</summary>
        public int Copy;

        /// <summary>Bits per stored element.</summary>
        public byte Bits;
    }
}
