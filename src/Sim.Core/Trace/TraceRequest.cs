namespace Sim.Core.Trace
{
    /// <summary>One request as read from a trace or drawn by a synthetic generator.</summary>
    public struct TraceRequest
    {
        /// <summary>0-based position in the trace (arrival order).</summary>
        public long Id;

        /// <summary>Arrival time in seconds since the trace's first request.</summary>
        public double ArrivalS;

        public int PromptTokens;

        public int OutputTokens;

        /// <summary>Prefix block hashes (Mooncake <c>hash_ids</c>, 512 tokens a block); null when the trace has none.</summary>
        public int[]? HashIds;

        /// <summary>Priority class from the trace's optional <c>priority</c> field: 0 is the most urgent.</summary>
        public int Priority;

        /// <summary>1-based line of the trace file the request came from; 0 for generated requests.</summary>
        public int SourceLine;
    }
}
