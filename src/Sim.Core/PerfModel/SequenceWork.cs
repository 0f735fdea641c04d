namespace Sim.Core.PerfModel
{
    /// <summary>The work one sequence contributes to one iteration.</summary>
    public readonly struct SequenceWork
    {
        public SequenceWork(int newTokens, int contextTokens)
        {
            NewTokens = newTokens;
            ContextTokens = contextTokens;
        }

        /// <summary>Tokens computed this iteration (a prefill chunk, or 1 for a decode).</summary>
        public int NewTokens { get; }

        /// <summary>Tokens already in the KV cache before this iteration.</summary>
        public int ContextTokens { get; }

        /// <summary>A decode step: one new token after a non-empty context.</summary>
        public bool IsDecode => NewTokens == 1 && ContextTokens > 0;
    }
}
