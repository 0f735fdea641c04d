using MemoryPack;

namespace Sim.Core.Components
{
    /// <summary>What a request asks for; fixed from arrival to completion.</summary>
    // MemoryPackable: the struct holds arrays or strings, so snapshots need MemoryPack's generated formatter.
    [MemoryPackable]
    public partial struct RequestInfo
    {
        /// <summary>0-based arrival order in the trace; also the request's row in the request log.</summary>
        public long Id;

        public double ArrivalS;

        public int PromptTokens;

        public int OutputTokens;

        /// <summary>Priority class for <c>scheduler.order: priority</c>: 0 is the most urgent.</summary>
        public int Priority;

        /// <summary>Prefix block hashes of the prompt (512 tokens each); null when the workload has none.</summary>
        public int[]? HashIds;

        /// <summary>Whether this request comes after the one that arrived at <paramref name="arrivalS"/> with id <paramref name="id"/> in arrival order (ties by id).</summary>
        public readonly bool ArrivedAfter(double arrivalS, long id) => ArrivalS > arrivalS || (ArrivalS == arrivalS && Id > id);
    }
}
