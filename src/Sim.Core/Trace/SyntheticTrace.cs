using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>Streams a <see cref="SyntheticWorkload"/> in O(1) memory; arrivals, prompts and outputs each draw from their own stream of the seed.</summary>
    public static class SyntheticTrace
    {
        const string Field = "workload.synthetic.";

        /// <summary>Checks the workload now and generates lazily: the first request arrives at 0, ids count from 0.</summary>
        public static IEnumerable<TraceRequest> Generate(SyntheticWorkload workload, ulong seed)
        {
            if (workload.Requests < 1) throw Bad("requests", "must be at least 1");
            if (!(workload.RatePerS > 0) || double.IsInfinity(workload.RatePerS)) throw Bad("rate_per_s", "must be a finite number above 0");
            if (workload.Arrival == ArrivalProcess.Gamma && (!(workload.GammaCv > 0) || double.IsInfinity(workload.GammaCv)))
                throw Bad("gamma_cv", "must be a finite number above 0");
            workload.PromptTokens.Validate(Field + "prompt_tokens");
            workload.OutputTokens.Validate(Field + "output_tokens");
            // The settings are copied now so that the stream matches what was validated.
            return Stream(workload.Requests, workload.Arrival == ArrivalProcess.Gamma, workload.RatePerS, workload.GammaCv, workload.PromptTokens.Sampler(), workload.OutputTokens.Sampler(), seed);
        }

        static IEnumerable<TraceRequest> Stream(long requests, bool gamma, double ratePerS, double gammaCv, LengthSampler promptTokens, LengthSampler outputTokens, ulong seed)
        {
            DeterministicRng arrivals = DeterministicRng.ForStream(seed, "arrivals");
            DeterministicRng prompts = DeterministicRng.ForStream(seed, "prompt_tokens");
            DeterministicRng outputs = DeterministicRng.ForStream(seed, "output_tokens");
            // Gamma gaps with mean 1/rate and CV c: shape 1/c^2, scale c^2/rate.
            double shape = 1 / (gammaCv * gammaCv), scale = 1 / (shape * ratePerS);
            double arrivalS = 0;
            for (long id = 0; id < requests; id++)
            {
                yield return new TraceRequest
                {
                    Id = id,
                    ArrivalS = arrivalS,
                    PromptTokens = promptTokens.Sample(prompts),
                    OutputTokens = outputTokens.Sample(outputs),
                };
                arrivalS += gamma ? arrivals.NextGamma(shape, scale) : arrivals.NextExponential(ratePerS);
            }
        }

        static SimInputException Bad(string key, string problem) => new SimInputException("<scene>", 0, Field + key, problem);
    }
}
