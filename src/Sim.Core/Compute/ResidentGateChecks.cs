using System;

namespace Sim.Core.Compute
{
    /// <summary>The argument checks every <see cref="IResidentGate"/> makes before a step, so a device twin refuses what the reference refuses.</summary>
    public static class ResidentGateChecks
    {
        public static void Step(int tokens, int segments, int maxTokens, int maxSegments, int experts, int topK,
            ReadOnlySpan<float> logits, ReadOnlySpan<int> segmentOfToken, ReadOnlySpan<int> segmentLoads, ReadOnlySpan<int> chosenExperts)
        {
            if (tokens < 0 || tokens > maxTokens) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "the gate holds " + maxTokens + " tokens a step");
            if (segments < 0 || segments > maxSegments) throw new ArgumentOutOfRangeException(nameof(segments), segments, "the gate holds " + maxSegments + " segments a step");
            if (logits.Length < tokens * experts || segmentOfToken.Length < tokens || segmentLoads.Length < segments * experts
                || (!chosenExperts.IsEmpty && chosenExperts.Length < tokens * topK))
                throw new ArgumentException("gate spans do not fit " + tokens + " tokens x " + experts + " experts in " + segments + " segments, top-" + topK);
            for (int t = 0; t < tokens; t++)
                if ((uint)segmentOfToken[t] >= (uint)segments)
                    throw new ArgumentOutOfRangeException(nameof(segmentOfToken), segmentOfToken[t], "token " + t + "'s segment is not one of the step's " + segments);
        }
    }
}
