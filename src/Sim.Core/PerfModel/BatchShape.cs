using System;

namespace Sim.Core.PerfModel
{
    /// <summary>A batch reduced to the sums the operators need, in one pass and without allocating.</summary>
    internal readonly struct BatchShape
    {
        BatchShape(double tokens, int sequences, int prefillSequences, double prefillTokens, double prefillKvTokens, double prefillAttendedPairs, int decodeSequences, double decodeKvTokens,
            double prefillTiledPairs, double decodeTiledKvTokens)
        {
            PrefillTiledPairs = prefillTiledPairs;
            DecodeTiledKvTokens = decodeTiledKvTokens;
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

        /// <summary><see cref="PrefillAttendedPairs"/> with each chunk's keys (context + new) rounded up to whole prefill KV tiles.</summary>
        public double PrefillTiledPairs { get; }

        /// <summary><see cref="DecodeKvTokens"/> with each decode's keys rounded up to whole decode KV tiles.</summary>
        public double DecodeTiledKvTokens { get; }

        /// <summary>The batch's sums; attention's tiled sums with tiles of 1 (none).</summary>
        public static BatchShape Of(ReadOnlySpan<SequenceWork> batch) => Of(batch, 1, 1);

        /// <summary>The batch's sums, attention's tiled ones with <paramref name="efficiency"/>'s KV tiles.</summary>
        public static BatchShape Of(ReadOnlySpan<SequenceWork> batch, RooflineEfficiency efficiency) => Of(batch, efficiency.AttentionPrefillKvTile, efficiency.AttentionDecodeKvTile);

        /// <summary>
        /// The sums of a batch of <paramref name="sequences"/> decodes whose Σ (context + 1) is <paramref name="kvTokens"/>, and that
        /// sum with each decode's keys rounded up to whole KV tiles <paramref name="tiledKvTokens"/>: what <see cref="Of(ReadOnlySpan{SequenceWork}, int, int)"/>
        /// gives such a batch (its sums are of whole numbers, exact in any order).
        /// </summary>
        public static BatchShape Decodes(int sequences, double kvTokens, double tiledKvTokens) =>
            new BatchShape(sequences, sequences, 0, 0, 0, 0, sequences, kvTokens, 0, tiledKvTokens);

        /// <summary><paramref name="tokens"/> rounded up to whole tiles of <paramref name="tile"/> tokens (tiles of 1 or less: none).</summary>
        internal static long RoundUp(long tokens, int tile) => tile <= 1 ? tokens : (tokens + tile - 1) / tile * tile;

        public static BatchShape Of(ReadOnlySpan<SequenceWork> batch, int prefillKvTile, int decodeKvTile)
        {
            // Every sum is of whole numbers (n (n + 1) / 2 and n (n - 1) / 2 are whole), so it is kept in integers and
            // converted once: the same values as summing in doubles (exact below 2^53), without a conversion per term.
            long tokens = 0, prefillTokens = 0, prefillKv = 0, pairs = 0, decodeKv = 0, tiledPairs = 0, tiledDecodeKv = 0;
            int prefills = 0, decodes = 0;
            foreach (SequenceWork work in batch)
            {
                long newTokens = work.NewTokens, context = work.ContextTokens;
                tokens += newTokens;
                if (work.IsDecode)
                {
                    decodes++;
                    decodeKv += context + 1;
                    tiledDecodeKv += RoundUp(context + 1, decodeKvTile);
                }
                else if (newTokens > 0)
                {
                    prefills++;
                    prefillTokens += newTokens;
                    prefillKv += context + newTokens;
                    pairs += newTokens * context + newTokens * (newTokens + 1) / 2;
                    // Under the causal mask the chunk's queries skip the keys after them: on average (new - 1) / 2 of the keys.
                    tiledPairs += newTokens * RoundUp(context + newTokens, prefillKvTile) - newTokens * (newTokens - 1) / 2;
                }
            }
            return new BatchShape(tokens, batch.Length, prefills, prefillTokens, prefillKv, pairs, decodes, decodeKv, tiledPairs, tiledDecodeKv);
        }
    }
}
