using Sim.Core.Components;

namespace Sim.Core.Host
{
    /// <summary>A queued or running request as the scheduler sees it now.</summary>
    public readonly struct RequestView
    {
        internal RequestView(in RequestInfo info, in RequestProgress progress, int pages, int residentTokens)
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
            EvictedTokens = progress.EvictedTokens;
            ResidentTokens = residentTokens;
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

        /// <summary>Token mode: computed tokens evicted by KV compression; 0 otherwise.</summary>
        public int EvictedTokens { get; }

        /// <summary>Token mode: token entities it keeps resident (all layer groups); -1 outside token mode or without tokens.</summary>
        public int ResidentTokens { get; }
    }
}
