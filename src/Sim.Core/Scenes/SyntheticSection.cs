using Sim.Core.Trace;

namespace Sim.Core.Scenes
{
    /// <summary>Reads <c>workload.synthetic</c>: generated arrivals and token-length distributions.</summary>
    internal static class SyntheticSection
    {
        static readonly string[] Arrivals = { "poisson", "gamma" };
        static readonly string[] Kinds = { "fixed", "uniform", "lognormal" };

        public static SyntheticWorkload Read(YamlSection section)
        {
            var workload = new SyntheticWorkload
            {
                Requests = section.Long("requests", 1000, 1),
                Arrival = section.Choice("arrival", "poisson", Arrivals) == "gamma" ? ArrivalProcess.Gamma : ArrivalProcess.Poisson,
                RatePerS = section.Double("rate_per_s", 1, 0, exclusiveMin: true),
                GammaCv = section.Double("gamma_cv", 1, 0, exclusiveMin: true),
                PromptTokens = Lengths(section.Section("prompt_tokens") ?? throw section.ErrorAt("prompt_tokens", "missing; e.g. prompt_tokens: { dist: lognormal, mean: 1000, sigma: 1, min: 1, max: 4000 }")),
                OutputTokens = Lengths(section.Section("output_tokens") ?? throw section.ErrorAt("output_tokens", "missing; e.g. output_tokens: { dist: fixed, value: 128 }")),
            };
            section.RejectUnknownKeys();
            return workload;
        }

        static LengthDistribution Lengths(YamlSection section)
        {
            var lengths = new LengthDistribution();
            switch (section.Choice("dist", "fixed", Kinds))
            {
                case "fixed":
                    lengths.Kind = LengthKind.Fixed;
                    lengths.Value = section.Int("value", 0, 1);
                    if (lengths.Value == 0) throw section.ErrorAt("value", "missing; a fixed length needs value: N");
                    lengths.Min = lengths.Max = lengths.Value;
                    break;
                case "uniform":
                    lengths.Kind = LengthKind.Uniform;
                    lengths.Min = section.Int("min", 1, 1);
                    lengths.Max = section.Int("max", lengths.Min, lengths.Min);
                    break;
                default:
                    lengths.Kind = LengthKind.LogNormal;
                    lengths.Mean = section.Double("mean", 0, 1);
                    if (lengths.Mean == 0) throw section.ErrorAt("mean", "missing; a lognormal length needs mean: N (tokens)");
                    lengths.Sigma = section.Double("sigma", 1, 0);
                    lengths.Min = section.Int("min", 1, 1);
                    lengths.Max = section.Int("max", int.MaxValue, lengths.Min);
                    break;
            }
            section.RejectUnknownKeys();
            return lengths;
        }
    }
}
