using System;

namespace Sim.Core.PerfModel
{
    /// <summary>A batch reduced to the sums the operators need, in one pass and without allocating.</summary>
    internal readonly struct BatchShape
    {
        BatchShape(double tokens, int sequences, int prefillSequences, double prefillTokens, double prefillKvTokens, double prefillAttendedPairs, int decodeSequences, double decodeKvTokens)
        {
            Tokens = tokens;
            Sequences = sequences;
            PrefillSequences = prefillSequences;
            PrefillTokens = prefillTokens;
            PrefillKvTokens = prefillKvTokens;
            PrefillAttendedPairs = prefillAttendedPairs;
            DecodeSequences = decodeSequences;
            DecodeKvTokens = decodeKvTokens;
        }

        /// <summary>New tokens over the whole batch: the M dimension of every projection.</summary>
        public double Tokens { get; }

        public int Sequences { get; }

        public int PrefillSequences { get; }

        public double PrefillTokens { get; }

        /// <summary>Context plus new tokens of the prefill chunks: the K and V they read.</summary>
        public double PrefillKvTokens { get; }

        /// <summary>Σ new × (context + (new + 1) / 2): query-key pairs under the causal mask.</summary>
        public double PrefillAttendedPairs { get; }

        public int DecodeSequences { get; }

        /// <summary>Σ (context + 1) over decodes: the cached K and V each decode step reads, its own new token included.</summary>
        public double DecodeKvTokens { get; }

        public static BatchShape Of(ReadOnlySpan<SequenceWork> batch)
        {
            double tokens = 0, prefillTokens = 0, prefillKv = 0, pairs = 0, decodeKv = 0;
            int prefills = 0, decodes = 0;
            foreach (SequenceWork work in batch)
            {
                tokens += work.NewTokens;
                if (work.IsDecode)
                {
                    decodes++;
                    decodeKv += work.ContextTokens + 1;
                }
                else if (work.NewTokens > 0)
                {
                    prefills++;
                    prefillTokens += work.NewTokens;
                    prefillKv += work.ContextTokens + work.NewTokens;
                    pairs += work.NewTokens * (work.ContextTokens + (work.NewTokens + 1) / 2.0);
                }
            }
            return new BatchShape(tokens, batch.Length, prefills, prefillTokens, prefillKv, pairs, decodes, decodeKv);
        }
    }
}
