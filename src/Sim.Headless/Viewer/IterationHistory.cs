using System.Collections.Generic;
using Sim.Core.Host;

namespace Sim.Headless.Viewer
{
    /// <summary>
    /// Every iteration each replica has finished so far, for the page's time series (batch, tokens, queues, KV,
    /// preemptions). Going back replays from a snapshot: iterations already held are not added twice, and those
    /// after the new clock are forgotten.
    /// </summary>
    public sealed class IterationHistory
    {
        readonly List<IterationSample>[] _replicas;

        public IterationHistory(int replicas)
        {
            _replicas = new List<IterationSample>[replicas];
            for (int r = 0; r < replicas; r++) _replicas[r] = new List<IterationSample>();
        }

        public IReadOnlyList<IterationSample> Of(int replica) => _replicas[replica];

        /// <summary>Adds <paramref name="view"/>, finished at <paramref name="nowS"/>, unless it is a replay of one held.</summary>
        public void Add(IterationView view, double nowS)
        {
            List<IterationSample> list = _replicas[view.Replica];
            if (list.Count > 0 && view.Iteration <= list[list.Count - 1].Iteration) return;
            list.Add(new IterationSample(view.Iteration, nowS, view.Sequences.Count, view.PrefillTokens, view.DecodeTokens,
                view.Waiting, view.Running, view.KvTotalPages > 0 ? (double)view.KvUsedPages / view.KvTotalPages : 0, view.PreemptedRequestIds.Count));
        }

        /// <summary>Forgets the iterations that finished after <paramref name="nowS"/> (after going back to it).</summary>
        public void ForgetAfter(double nowS)
        {
            foreach (List<IterationSample> list in _replicas)
                while (list.Count > 0 && list[list.Count - 1].EndS > nowS) list.RemoveAt(list.Count - 1);
        }
    }

    /// <summary>One finished iteration of one replica, as the time series show it.</summary>
    public readonly struct IterationSample
    {
        public IterationSample(long iteration, double endS, int sequences, int prefillTokens, int decodeTokens, int waiting, int running, double kvUtilization, int preempted)
        {
            Iteration = iteration;
            EndS = endS;
            Sequences = sequences;
            PrefillTokens = prefillTokens;
            DecodeTokens = decodeTokens;
            Waiting = waiting;
            Running = running;
            KvUtilization = kvUtilization;
            Preempted = preempted;
        }

        public long Iteration { get; }

        /// <summary>Simulated time the iteration finished (the step that reported it).</summary>
        public double EndS { get; }

        public int Sequences { get; }
        public int PrefillTokens { get; }
        public int DecodeTokens { get; }
        public int Waiting { get; }
        public int Running { get; }

        /// <summary>Share of the replica's KV pages held by requests after the iteration.</summary>
        public double KvUtilization { get; }

        public int Preempted { get; }
    }
}
