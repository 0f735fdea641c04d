using System;
using System.Collections.Generic;
using Sim.Core.Kv;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Prefix hashes for requests that come without them (<c>workload.shared_prefix</c>): a share of requests start
    /// with one of a few common prefixes (a system prompt, a shared document), picked uniformly; the rest of every
    /// prompt is its own. Hash ids follow the Mooncake convention of one per 512 tokens, so the prefix cache and
    /// <c>sim trace stats</c> read them alike.
    /// </summary>
    public sealed class SharedPrefixModel
    {
        /// <summary>Distinct shared prefixes.</summary>
        public int Groups { get; set; } = 8;

        /// <summary>Length of each shared prefix; only its whole 512-token blocks are shared.</summary>
        public int PrefixTokens { get; set; } = 2048;

        /// <summary>Share of requests that start with a shared prefix.</summary>
        public double Fraction { get; set; } = 1;

        /// <summary>Gives each request without hash ids its hashes, drawn from the scene seed; requests that have them keep them.</summary>
        public IEnumerable<TraceRequest> Apply(IEnumerable<TraceRequest> requests, ulong seed)
        {
            var rng = DeterministicRng.ForStream(seed, "shared-prefix");
            int sharedBlocksMax = PrefixTokens / PrefixKeys.HashBlockTokens;
            // Shared blocks of group g are g * sharedBlocksMax + j; every other block gets the next id after them.
            int nextOwnId = Groups * sharedBlocksMax;
            foreach (TraceRequest request in requests)
            {
                // Both draws happen for every request, so one request's lengths never shift another's group.
                bool shares = rng.NextDouble() < Fraction;
                int group = rng.NextInt(Groups);
                if (request.HashIds != null)
                {
                    yield return request;
                    continue;
                }
                int blocks = (int)(((long)request.PromptTokens + PrefixKeys.HashBlockTokens - 1) / PrefixKeys.HashBlockTokens);
                int sharedBlocks = shares ? Math.Min(PrefixTokens, request.PromptTokens) / PrefixKeys.HashBlockTokens : 0;
                var hashIds = new int[blocks];
                for (int j = 0; j < blocks; j++)
                    hashIds[j] = j < sharedBlocks ? group * sharedBlocksMax + j : checked(nextOwnId++);
                TraceRequest hashed = request;
                hashed.HashIds = hashIds;
                yield return hashed;
            }
        }
    }
}
