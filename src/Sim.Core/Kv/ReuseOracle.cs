using System.Collections.Generic;
using Sim.Core.Trace;

namespace Sim.Core.Kv
{
    /// <summary>
    /// The workload read ahead, for learned paging: for every reusable prompt block (by prefix key), the arrival times
    /// of the requests whose prompts hold it and their ranks in the stream, in order. Built once per run from the whole request stream (a trace is
    /// a list; a synthetic stream regenerates from the seed), shared by every replica and never changed.
    /// </summary>
    public sealed class ReuseOracle
    {
        readonly Dictionary<ulong, (int First, int Count)> _uses = new Dictionary<ulong, (int, int)>();
        readonly double[] _useArrivalS;
        readonly int[] _useRank;

        public ReuseOracle(IEnumerable<TraceRequest> requests)
        {
            var arrivalsOfKey = new Dictionary<ulong, List<(double ArrivalS, int Rank)>>();
            int total = 0, rank = 0;
            foreach (TraceRequest request in requests)
            {
                ulong key = 0;
                int reusable = PrefixKeys.ReusableBlocks(request.HashIds, request.PromptTokens);
                for (int b = 0; b < reusable; b++)
                {
                    key = PrefixKeys.Next(key, request.HashIds![b]);
                    if (!arrivalsOfKey.TryGetValue(key, out List<(double, int)>? arrivals)) arrivalsOfKey.Add(key, arrivals = new List<(double, int)>(2));
                    arrivals.Add((request.ArrivalS, rank));
                    total++;
                }
                rank++;
            }
            _useArrivalS = new double[total];
            _useRank = new int[total];
            int at = 0;
            foreach (KeyValuePair<ulong, List<(double ArrivalS, int Rank)>> entry in arrivalsOfKey)
            {
                _uses.Add(entry.Key, (at, entry.Value.Count));
                foreach ((double arrivalS, int useRank) in entry.Value)
                {
                    _useArrivalS[at] = arrivalS;
                    _useRank[at++] = useRank;
                }
            }
        }

        /// <summary>Whether a request whose prompt holds the block keyed <paramref name="key"/> arrives in (afterS, afterS + horizonS].</summary>
        public bool ReusedWithin(ulong key, double afterS, double horizonS)
        {
            int next = NextUse(key, afterS, out int end);
            return next < end && _useArrivalS[next] <= afterS + horizonS;
        }

        /// <summary>
        /// The rank in the request stream of the first request arriving after <paramref name="afterS"/> whose prompt holds
        /// the block keyed <paramref name="key"/>; int.MaxValue when none does.
        /// </summary>
        public int NextUseRank(ulong key, double afterS)
        {
            int next = NextUse(key, afterS, out int end);
            return next < end ? _useRank[next] : int.MaxValue;
        }

        /// <summary>The index of the key's first use arriving after <paramref name="afterS"/>; <paramref name="end"/> past its last.</summary>
        int NextUse(ulong key, double afterS, out int end)
        {
            end = 0;
            if (!_uses.TryGetValue(key, out (int First, int Count) uses)) return 0;
            // A trace is in arrival order, so each key's arrivals are sorted.
            int lo = uses.First, hi = end = uses.First + uses.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                if (_useArrivalS[mid] <= afterS) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }
}
