using System;
using System.Collections.Generic;
using Sim.Core.Compute;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Routers by the name a scene gives in <c>cluster.router</c>, each made from the scene seed and the compute backend
    /// (whose routing kernel the scoring routers use). A new router is one line here.
    /// </summary>
    public static class RouterRegistry
    {
        static readonly Dictionary<string, Func<ulong, IComputeBackend, IRouter>> Factories = new Dictionary<string, Func<ulong, IComputeBackend, IRouter>>(StringComparer.Ordinal)
        {
            ["round-robin"] = (_, _) => new RoundRobinRouter(),
            ["least-loaded"] = (_, backend) => new LeastLoadedRouter(backend),
            ["least-kv"] = (_, _) => new LeastKvRouter(),
            ["power-of-two"] = (seed, _) => new PowerOfTwoRouter(seed),
            ["prefix-aware"] = (_, backend) => new PrefixAwareRouter(backend),
        };

        public static IReadOnlyCollection<string> Names => Factories.Keys;

        public static IRouter Create(string name, ulong seed, IComputeBackend backend) =>
            Factories.TryGetValue(name, out var factory) ? factory(seed, backend) : throw new ArgumentException("unknown router '" + name + "'", nameof(name));
    }
}
