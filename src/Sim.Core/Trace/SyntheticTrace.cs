using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>Streams a <see cref="SyntheticWorkload"/> in O(1) memory; arrivals, prompts and outputs each draw from their own stream of the seed.</summary>
    public static class SyntheticTrace
    {
        public static IEnumerable<TraceRequest> Generate(SyntheticWorkload workload, ulong seed)
        {
            if (!(workload.RatePerS > 0) || double.IsInfinity(workload.RatePerS))
                throw new SimInputException("<scene>", 0, "workload.synthetic.rate_per_s", "must be a finite number above 0");
            if (!(workload.GammaCv > 0)) throw new SimInputException("<scene>", 0, "workload.synthetic.gamma_cv", "must be above 0");
            return Stream(workload, seed);
        }

        static IEnumerable<TraceRequest> Stream(SyntheticWorkload workload, ulong seed)
        {
            DeterministicRng arrivals = DeterministicRng.ForStream(seed, "arrivals");
            DeterministicRng prompts = DeterministicRng.ForStream(seed, "prompt_tokens");
            DeterministicRng outputs = DeterministicRng.ForStream(seed, "output_tokens");
            // Gamma gaps with mean 1/rate and CV c: shape 1/c^2, scale c^2/rate.
            double shape = 1 / (workload.GammaCv * workload.GammaCv), scale = 1 / (shape * workload.RatePerS);
            double arrivalS = 0;
            for (long id = 0; id < workload.Requests; id++)
            {
                yield return new TraceRequest
                {
                    Id = id,
                    ArrivalS = arrivalS,
                    PromptTokens = workload.PromptTokens.Sample(prompts),
                    OutputTokens = workload.OutputTokens.Sample(outputs),
                };
                arrivalS += workload.Arrival == ArrivalProcess.Poisson ? arrivals.NextExponential(workload.RatePerS) : arrivals.NextGamma(shape, scale);
            }
        }
    }
}
