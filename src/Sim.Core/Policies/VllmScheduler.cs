using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// vLLM v1-style continuous batching: one token budget per iteration shared by every request.
    /// Running requests go first, in admission order, each asking for all its uncomputed tokens (a
    /// decode asks for one); when KV pages run out the newest running request is preempted by recompute.
    /// Then, if nothing was preempted, waiting requests are admitted first-come first-served.
    /// A request's uncomputed tokens are its prompt plus generated tokens less those in the KV cache,
    /// so chunked prefill, decode and recompute after preemption are the same rule.
    /// </summary>
    public sealed class VllmScheduler : IScheduler
    {
        readonly SchedulerLimits _limits;

        public VllmScheduler(SchedulerLimits limits)
        {
            _limits = limits;
        }

        public void Schedule(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output)
        {
            int budget = _limits.MaxBatchTokens;
            ScheduleRunning(world, replica, output, ref budget);
            if (output.PreemptedRequestIds.Count == 0)
                AdmitWaiting(world, replica, nowS, output, ref budget);
        }

        void ScheduleRunning(World world, ReplicaRuntime replica, SchedulerOutput output, ref int budget)
        {
            for (int i = 0; i < replica.Running.Count && budget > 0; i++)
            {
                Entity request = replica.Running[i];
                ref RequestInfo info = ref world.Get<RequestInfo>(request);
                ref RequestProgress progress = ref world.Get<RequestProgress>(request);
                int newTokens = Math.Min(info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens, budget);
                ref KvPageTable pages = ref world.Get<KvPageTable>(request);
                while (!replica.Kv.TryReserve(ref pages, info.Id, progress.ComputedTokens + newTokens))
                {
                    // The newest running request is always at or after i: earlier ones are already scheduled.
                    if (Preemption.PreemptNewest(world, replica, output) == request) return;
                }
                output.Add(Sequence(request, info.Id, newTokens, progress.ComputedTokens, info.PromptTokens));
                budget -= newTokens;
            }
        }

        void AdmitWaiting(World world, ReplicaRuntime replica, double nowS, SchedulerOutput output, ref int budget)
        {
            while (replica.Waiting.Count > 0 && budget > 0 && replica.Running.Count < _limits.MaxNumSeqs)
            {
                Entity request = replica.Waiting.PeekFront();
                ref RequestInfo info = ref world.Get<RequestInfo>(request);
                ref RequestProgress progress = ref world.Get<RequestProgress>(request);
                int newTokens = info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens;
                if (newTokens > budget)
                {
                    if (!_limits.ChunkedPrefill) return;
                    newTokens = budget;
                }
                if (!replica.Kv.TryReserve(ref world.Get<KvPageTable>(request), info.Id, progress.ComputedTokens + newTokens)) return;
                replica.Waiting.PopFront();
                replica.Running.Add(request);
                progress.Phase = RequestPhase.Running;
                ref RequestTimes times = ref world.Get<RequestTimes>(request);
                if (double.IsNaN(times.FirstScheduledS)) times.FirstScheduledS = nowS;
                output.Add(Sequence(request, info.Id, newTokens, progress.ComputedTokens, info.PromptTokens));
                budget -= newTokens;
            }
        }

        static ScheduledSequence Sequence(Entity request, long id, int newTokens, int computedTokens, int promptTokens) => new ScheduledSequence
        {
            Request = request,
            RequestId = id,
            NewTokens = newTokens,
            ContextTokens = computedTokens,
            // A decode computes exactly the last generated token; anything else recomputes or fills the prompt.
            IsPrefill = !(newTokens == 1 && computedTokens >= promptTokens),
        };
    }
}
