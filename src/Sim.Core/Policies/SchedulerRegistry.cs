using System;
using System.Collections.Generic;

namespace Sim.Core.Policies
{
    /// <summary>Scheduling policies by the name a scene gives in <c>scheduler.policy</c>. A new policy is one line here.</summary>
    public static class SchedulerRegistry
    {
        static readonly Dictionary<string, Func<SchedulerLimits, IScheduler>> Factories = new Dictionary<string, Func<SchedulerLimits, IScheduler>>(StringComparer.Ordinal)
        {
            ["vllm"] = limits => new VllmScheduler(limits),
            ["vllm-v0"] = limits => new VllmV0Scheduler(limits),
            ["orca"] = limits => new OrcaScheduler(limits),
            ["static"] = limits => new StaticScheduler(limits),
            ["sarathi"] = limits => new SarathiScheduler(limits),
            ["batchllm"] = limits => new BatchLlmScheduler(limits),
        };

        public static IReadOnlyCollection<string> Names => Factories.Keys;

        public static IScheduler Create(string name, SchedulerLimits limits) =>
            Factories.TryGetValue(name, out var factory) ? factory(limits) : throw new ArgumentException("unknown scheduler policy '" + name + "'", nameof(name));
    }
}
