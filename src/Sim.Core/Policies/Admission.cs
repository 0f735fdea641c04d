using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;
using Sim.Core.Tokens;

namespace Sim.Core.Policies
{
    /// <summary>The steps every scheduling policy shares: putting a request in the batch, and admitting the front of the queue.</summary>
    public static class Admission
    {
        /// <summary>Tokens a request must compute before its next output token: its prompt and generated tokens not in the KV cache.</summary>
        public static int Uncomputed(World world, Entity request)
        {
            ref RequestInfo info = ref world.Get<RequestInfo>(request);
            ref RequestProgress progress = ref world.Get<RequestProgress>(request);
            return info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens;
        }

        /// <summary>Reserves KV pages for the request's computed tokens plus <paramref name="newTokens"/>, all or nothing.</summary>
        public static bool TryReserveNext(World world, ReplicaRuntime replica, Entity request, int newTokens)
        {
            int computed = world.Get<RequestProgress>(request).ComputedTokens;
            return replica.Kv.TryReserve(ref world.Get<KvPageTable>(request), computed + newTokens);
        }

        /// <summary>The leading prompt blocks of a waiting request that its replica's prefix cache holds; none without a cache or hashes.</summary>
        public static PrefixMatch MatchPrefix(World world, ReplicaRuntime replica, Entity request)
        {
            PrefixCache? cache = replica.Kv.Prefix;
            ref RequestInfo info = ref world.Get<RequestInfo>(request);
            if (cache == null || info.HashIds == null || world.Get<RequestProgress>(request).ComputedTokens != 0) return default;
            return cache.Match(info.HashIds, info.PromptTokens);
        }

        /// <summary>
        /// Reserves KV for a waiting request: the cached blocks of <paramref name="match"/> are reused (their tokens count
        /// as computed, lower-tier copies add to the iteration's transfer time), a swapped-out request's KV is copied
        /// back, and pages for the rest, up to <paramref name="tokens"/>, are taken; all or nothing.
        /// </summary>
        public static bool TryReserveWaiting(World world, ReplicaRuntime replica, Entity request, in PrefixMatch match, int tokens, SchedulerOutput output)
        {
            ref RequestInfo info = ref world.Get<RequestInfo>(request);
            if (!replica.Kv.TryReserve(ref world.Get<KvPageTable>(request), tokens, match, info.HashIds, output.StartS, out ulong lastReusedKey)) return false;
            ref RequestProgress progress = ref world.Get<RequestProgress>(request);
            if (progress.KvSwappedOut)
            {
                // Its KV comes back from host memory before this iteration runs. (A request handed over from a prefill
                // replica also waits with computed tokens, but its KV has already arrived.)
                replica.Swap!.Give(progress.ComputedTokens);
                output.TransferS += replica.Swap.TransferS(progress.ComputedTokens);
                output.SwappedInRequests++;
                progress.KvSwappedOut = false;
            }
            if (match.Blocks == 0) return true;
            progress.ComputedTokens = match.Tokens;
            output.TransferS += match.TransferS;
            ref PrefixState prefix = ref world.Get<PrefixState>(request);
            prefix.CachedBlocks = match.Blocks;
            prefix.LastCachedKey = lastReusedKey;
            if (double.IsNaN(world.Get<RequestTimes>(request).FirstScheduledS))
            {
                prefix.HitTokens = match.Tokens;
                prefix.HostHitTokens = match.HostBlocks * PrefixKeys.HashBlockTokens;
                prefix.SsdHitTokens = match.SsdBlocks * PrefixKeys.HashBlockTokens;
            }
            return true;
        }

        /// <summary>Puts <paramref name="newTokens"/> of <paramref name="request"/> into this iteration's batch.</summary>
        public static void Schedule(World world, Entity request, int newTokens, SchedulerOutput output)
        {
            ref RequestInfo info = ref world.Get<RequestInfo>(request);
            ref RequestProgress progress = ref world.Get<RequestProgress>(request);
            int computed = progress.ComputedTokens;
            // A decode computes exactly the last generated token; anything else fills or recomputes the prompt.
            bool isPrefill = !(newTokens == 1 && computed >= info.PromptTokens);
            // Attention reads the tokens still resident: all computed ones unless token-level compression evicted some,
            // and again the keys where the policy must compute attention weights to score them.
            int context = computed - progress.EvictedTokens;
            if (world.TryGetResource(out TokenStore? tokens)) context = tokens!.ContextWithScoring(context, isPrefill);
            output.Add(new ScheduledSequence
            {
                Request = request,
                RequestId = info.Id,
                NewTokens = newTokens,
                ContextTokens = context,
                IsPrefill = isPrefill,
            });
        }

        /// <summary>
        /// Admits waiting requests in the scheduler's admission order while budget, <c>max_num_seqs</c> and KV pages allow; a prompt
        /// larger than the remaining budget is chunked to it (or, without chunked prefill, waits for a later iteration).
        /// Prompt pages found in the prefix cache are reused rather than computed. Pages are reserved for the tokens computed
        /// this iteration, or with <paramref name="wholePrompt"/> for all of the prompt at once (vLLM v0's block manager).
        /// </summary>
        public static void AdmitChunked(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output, ref int budget, SchedulerLimits limits, bool wholePrompt = false)
        {
            while (replica.Waiting.Count > 0 && budget > 0 && replica.Running.Count < limits.MaxNumSeqs)
            {
                limits.Order.BringNextToFront(world, replica.Waiting, nowS);
                Entity request = replica.Waiting.PeekFront();
                PrefixMatch match = MatchPrefix(world, replica, request);
                int promptTokens = Uncomputed(world, request) - match.Tokens;
                int newTokens = promptTokens;
                if (newTokens > budget)
                {
                    if (!limits.ChunkedPrefill) return;
                    newTokens = budget;
                }
                int computed = world.Get<RequestProgress>(request).ComputedTokens;
                if (!TryReserveWaiting(world, replica, request, match, computed + match.Tokens + (wholePrompt ? promptTokens : newTokens), output)) return;
                AdmitFront(world, replica, nowS, newTokens, output);
                budget -= newTokens;
            }
        }

        /// <summary>
        /// Whether <see cref="AdmitChunked"/> with <paramref name="budget"/> tokens left admits nothing now, and keeps admitting
        /// nothing while the waiting queue, the running count and the budget stay as they are and free KV pages do not grow
        /// (what <see cref="IRepeatsDecodeBatches"/> needs): nothing waits, no sequence or token is left, or, first-come
        /// first-served without a prefix cache, the front request's next chunk does not fit the free pages.
        /// </summary>
        public static bool AdmitsNothing(World world, ReplicaRuntime replica, int budget, SchedulerLimits limits)
        {
            if (replica.Waiting.Count == 0 || budget <= 0 || replica.Running.Count >= limits.MaxNumSeqs) return true;
            if (limits.Order.Kind != AdmissionOrderKind.Fcfs || replica.Kv.Prefix != null) return false;
            Entity front = replica.Waiting.PeekFront();
            int newTokens = Uncomputed(world, front);
            if (newTokens > budget)
            {
                if (!limits.ChunkedPrefill) return true;
                newTokens = budget;
            }
            int computed = world.Get<RequestProgress>(front).ComputedTokens;
            return replica.Kv.PagesFor(computed + newTokens) - world.Get<KvPageTable>(front).PageCount > replica.Kv.FreePages;
        }

        /// <summary>Moves the front waiting request (whose KV pages are already reserved) into the running batch.</summary>
        public static void AdmitFront(World world, ReplicaRuntime replica, double nowS, int newTokens, SchedulerOutput output)
        {
            Entity request = replica.Waiting.PopFront();
            replica.Running.Add(request);
            world.Get<RequestProgress>(request).Phase = RequestPhase.Running;
            ref RequestTimes times = ref world.Get<RequestTimes>(request);
            if (double.IsNaN(times.FirstScheduledS)) times.FirstScheduledS = nowS;
            Schedule(world, request, newTokens, output);
        }
    }
}
