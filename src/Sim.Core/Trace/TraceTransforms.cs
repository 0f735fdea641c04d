using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary><c>--requests</c> and <c>--time-scale</c>: the first N requests, with every inter-arrival gap multiplied by X.</summary>
    public static class TraceTransforms
    {
        public static IEnumerable<TraceRequest> Apply(IEnumerable<TraceRequest> source, long? maxRequests, double timeScale)
        {
            if (!(timeScale > 0) || double.IsInfinity(timeScale))
                throw new SimInputException("--time-scale", 0, "", "must be a finite number above 0");
            if (maxRequests.HasValue && maxRequests.Value < 1)
                throw new SimInputException("--requests", 0, "", "must be at least 1");
            return Transform(source, maxRequests ?? long.MaxValue, timeScale);
        }

        static IEnumerable<TraceRequest> Transform(IEnumerable<TraceRequest> source, long maxRequests, double timeScale)
        {
            long taken = 0;
            double firstS = 0;
            foreach (TraceRequest request in source)
            {
                if (taken == maxRequests) yield break;
                if (taken++ == 0) firstS = request.ArrivalS;
                TraceRequest scaled = request;
                // Gaps scale, so arrival i moves to first + (arrival_i - first) * X.
                if (timeScale != 1) scaled.ArrivalS = firstS + (request.ArrivalS - firstS) * timeScale;
                yield return scaled;
            }
        }
    }
}
