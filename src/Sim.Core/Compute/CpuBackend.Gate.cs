using System;

namespace Sim.Core.Compute
{
    public sealed partial class CpuBackend
    {
        public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad)
        {
            if (topK > experts || logits.Length < tokens * experts || chosenExperts.Length < tokens * topK || expertLoad.Length < experts)
                throw new ArgumentException("gate spans do not fit " + tokens + " tokens x " + experts + " experts, top-" + topK);
            for (int t = 0; t < tokens; t++)
            {
                ReadOnlySpan<float> row = logits.Slice(t * experts, experts);
                Span<int> chosen = chosenExperts.Slice(t * topK, topK);
                for (int k = 0; k < topK; k++)
                {
                    int best = -1;
                    for (int e = 0; e < experts; e++)
                    {
                        if (chosen.Slice(0, k).IndexOf(e) >= 0) continue;
                        if (best < 0 || row[e] > row[best]) best = e;
                    }
                    chosen[k] = best;
                    expertLoad[best]++;
                }
            }
        }
    }
}
