using System.Collections.Generic;
using Sim.Core.Trace;

namespace Sim.Core.Kv
{
    /// <summary>
    /// The workload read ahead, for learned paging: for every reusable prompt block (by prefix key), the arrival times
    /// of the requests whose prompts hold it, in order. Built once per run from the whole request stream (a trace is
    /// a list; a synthetic stream regenerates from the seed), shared by every replica and never changed.
    /// </summary>
    public sealed class ReuseOracle
    {
        readonly Dictionary<ulong, (int First, int Count)> _uses = new Dictionary<ulong, (int, int)>();
        readonly double[] _useArrivalS;

        public ReuseOracle(IEnumerable<TraceRequest> requests)
        {
            var arrivalsOfKey = new Dictionary<ulong, List<double>>();
            int total = 0;
            foreach (TraceRequest request in requests)
            {
                ulong key = 0;
                int reusable = PrefixKeys.ReusableBlocks(request.HashIds, request.PromptTokens);
                for (int b = 0; b < reusable; b++)
                {
                    key = PrefixKeys.Next(key, request.HashIds![b]);
                    if (!arrivalsOfKey.TryGetValue(key, out List<double>? arrivals)) arrivalsOfKey.Add(key, arrivals = new List<double>(2));
                    arrivals.Add(request.ArrivalS);
                    total++;
                }
            }
            _useArrivalS = new double[total];
            int at = 0;
            foreach (KeyValuePair<ulong, List<double>> entry in arrivalsOfKey)
            {
                _uses.Add(entry.Key, (at, entry.Value.Count));
                entry.Value.CopyTo(_useArrivalS, at);
                at += entry.Value.Count;
            }
        }

        /// <summary>Whether a request whose prompt holds the block keyed <paramref name="key"/> arrives in (afterS, afterS + horizonS].</summary>
        public bool ReusedWithin(ulong key, double afterS, double horizonS)
        {
            if (!_uses.TryGetValue(key, out (int First, int Count) uses)) return false;
            // The first arrival after afterS: a trace is in arrival order, so each key's arrivals are sorted.
            int lo = uses.First, end = uses.First + uses.Count, hi = end;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (_useArrivalS[mid] <= afterS) lo = mid + 1;
                else hi = mid;
            }
            return lo < end && _useArrivalS[lo] <= afterS + horizonS;
        }
    }
}
