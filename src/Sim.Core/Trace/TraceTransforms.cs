using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary><c>--requests</c> and <c>--time-scale</c>: the first N requests, with every inter-arrival gap multiplied by X.</summary>
    public static class TraceTransforms
    {
        /// <summary>Checks the flags now and transforms lazily; a request past the first N is never read, so a bad line beyond it does not matter.</summary>
        public static IEnumerable<TraceRequest> Apply(IEnumerable<TraceRequest> source, long? maxRequests, double timeScale)
        {
            if (!(timeScale > 0) || double.IsInfinity(timeScale))
                throw new SimInputException("<flag>", 0, "--time-scale", "must be a finite number above 0");
            if (maxRequests.HasValue && maxRequests.Value < 1)
                throw new SimInputException("<flag>", 0, "--requests", "must be at least 1");
            // With neither flag the source is passed on as it is: one enumerator less per request read.
            if (!maxRequests.HasValue && timeScale == 1) return source;
            return Transform(source, maxRequests ?? long.MaxValue, timeScale);
        }

        static IEnumerable<TraceRequest> Transform(IEnumerable<TraceRequest> source, long maxRequests, double timeScale)
        {
            long taken = 0;
            double firstS = 0;
            foreach (TraceRequest request in source)
            {
                if (taken == 0) firstS = request.ArrivalS;
                TraceRequest scaled = request;
                // Gaps scale, so arrival i moves to first + (arrival_i - first) * X (arrival_i * X when the first is 0).
                if (timeScale != 1) scaled.ArrivalS = firstS + (request.ArrivalS - firstS) * timeScale;
                yield return scaled;
                if (++taken == maxRequests) yield break;
            }
        }
    }
}
