using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

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

        /// <summary>Puts <paramref name="newTokens"/> of <paramref name="request"/> into this iteration's batch.</summary>
        public static void Schedule(World world, Entity request, int newTokens, SchedulerOutput output)
        {
            ref RequestInfo info = ref world.Get<RequestInfo>(request);
            int computed = world.Get<RequestProgress>(request).ComputedTokens;
            output.Add(new ScheduledSequence
            {
                Request = request,
                RequestId = info.Id,
                NewTokens = newTokens,
                ContextTokens = computed,
                // A decode computes exactly the last generated token; anything else fills or recomputes the prompt.
                IsPrefill = !(newTokens == 1 && computed >= info.PromptTokens),
            });
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
