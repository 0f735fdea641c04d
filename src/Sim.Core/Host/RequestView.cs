using Sim.Core.Components;

namespace Sim.Core.Host
{
    /// <summary>A queued or running request as the scheduler sees it now.</summary>
    public readonly struct RequestView
    {
        internal RequestView(in RequestInfo info, in RequestProgress progress, int pages)
        {
            Id = info.Id;
            ArrivalS = info.ArrivalS;
            PromptTokens = info.PromptTokens;
            OutputTokens = info.OutputTokens;
            ComputedTokens = progress.ComputedTokens;
            GeneratedTokens = progress.GeneratedTokens;
            Preemptions = progress.Preemptions;
            SwappedOut = progress.KvSwappedOut;
            Phase = progress.Phase;
            Pages = pages;
        }

        public long Id { get; }
        public double ArrivalS { get; }
        public int PromptTokens { get; }
        public int OutputTokens { get; }

        /// <summary>Tokens whose KV exists (prompt and generated so far).</summary>
        public int ComputedTokens { get; }

        public int GeneratedTokens { get; }
        public int Preemptions { get; }

        /// <summary>Preempted with its KV copied to host memory (waiting to be swapped back in).</summary>
        public bool SwappedOut { get; }

        public RequestPhase Phase { get; }

        /// <summary>KV pages its page table holds on its replica.</summary>
        public int Pages { get; }
    }
}
