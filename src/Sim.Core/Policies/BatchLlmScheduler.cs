using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// BatchLLM-style scheduling for offline batches (Zheng et al., 2024): a request whose prefix someone is computing
    /// right now waits for it instead of computing it again (at most one request of an uncached prefix is admitted
    /// until its first block is cached); requests whose prefix is cached go first, then decode-heavy ones (most output
    /// per prompt token), so long decodes start early and overlap later prefills; and batches are sized by the KV
    /// tokens they will hold, not by count: a request is admitted only when its whole length (prompt and output) fits,
    /// so none is ever preempted. Each iteration runs every decode, then prompt chunks within <c>max_batch_tokens</c>.
    /// </summary>
    public sealed class BatchLlmScheduler : IScheduler, IRepeatsDecodeBatches
    {
        readonly SchedulerLimits _limits;

        public BatchLlmScheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public KvReservation Reservation => KvReservation.WholeRequest;

        /// <summary>Decodes go first, within max_batch_tokens; then admission, with nothing waiting or no room for another sequence.</summary>
        public bool SchedulesEveryDecode(World world, ReplicaRuntime replica)
        {
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            return running.Count <= _limits.MaxBatchTokens && (waiting.Count == 0 || running.Count >= _limits.MaxNumSeqs);
        }

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = _limits.MaxBatchTokens;
            ScheduleRunning(world, replica, output, ref budget);
            RequestQueue.Both(world, replica, out RequestQueue waiting, out RequestQueue running);
            while (waiting.Count > 0 && budget > 0 && running.Count < _limits.MaxNumSeqs)
            {
                Entity next = NextEligible(world, replica, waiting, out PrefixMatch match);
                if (next.IsNull) return;
                waiting.MoveToFront(next);
                var request = new RequestRow(world, next);
                int newTokens = Math.Min(request.Uncomputed - match.Tokens, budget);
                int wholeTokens = WholeRequestBatching.WholeLengthTokens(request.Info);
                if (!Admission.TryReserveWaiting(replica, request, match, wholeTokens, output)) return;
                Admission.AdmitFront(world, replica, nowS, newTokens, output);
                budget -= newTokens;
            }
        }

        /// <summary>Decodes first, then the rest of prompts being computed, in admission order; pages were reserved at admission.</summary>
        static void ScheduleRunning(World world, ReplicaRuntime replica, SchedulerOutput output, ref int budget)
        {
            RequestQueue running = RequestQueue.Running(world, replica);
            foreach (RequestRow row in running)
            {
                if (budget == 0) return;
                if (row.Uncomputed != 1) continue;
                Admission.Schedule(world, row.Entity, row, 1, output);
                budget--;
            }
            foreach (RequestRow row in running)
            {
                int uncomputed = row.Uncomputed;
                if (budget == 0) return;
                if (uncomputed == 1) continue;
                int newTokens = Math.Min(uncomputed, budget);
                Admission.Schedule(world, row.Entity, row, newTokens, output);
                budget -= newTokens;
            }
        }

        /// <summary>The waiting request to admit next by (prefix cached first, most output per prompt token, arrival), skipping those whose prefix is being computed; <see cref="Entity.Null"/> when none may go.</summary>
        static Entity NextEligible(World world, ReplicaRuntime replica, RequestQueue waiting, out PrefixMatch bestMatch)
        {
            Entity best = Entity.Null;
            bestMatch = default;
            (int Cached, double Ratio, long Id) bestKey = default;
            foreach (RequestRow request in waiting)
            {
                PrefixMatch match = Admission.MatchPrefix(replica, request);
                ref RequestInfo info = ref request.Info;
                if (match.Blocks == 0 && PrefixKeys.ReusableBlocks(info.HashIds, info.PromptTokens) > 0 && PrefixBeingComputed(world, replica, info.HashIds)) continue;
                (int Cached, double Ratio, long Id) key = (match.Blocks > 0 ? 0 : 1, -(double)info.OutputTokens / info.PromptTokens, info.Id);
                if (!best.IsNull && key.CompareTo(bestKey) >= 0) continue;
                best = request.Entity;
                bestKey = key;
                bestMatch = match;
            }
            return best;
        }

        /// <summary>Whether a running request shares the first prompt block of <paramref name="hashIds"/> and will cache it but has not yet.</summary>
        static bool PrefixBeingComputed(World world, ReplicaRuntime replica, int[]? hashIds)
        {
            if (hashIds == null || hashIds.Length == 0 || replica.Kv.Prefix == null) return false;
            foreach (RequestRow row in RequestQueue.Running(world, replica))
            {
                ref RequestInfo other = ref row.Info;
                if (other.HashIds != null && other.HashIds.Length > 0 && other.HashIds[0] == hashIds[0]
                    && PrefixKeys.CacheableBlocks(other.HashIds, other.PromptTokens) > 0 && row.Prefix.CachedBlocks == 0)
                    return true;
            }
            return false;
        }
    }
}
