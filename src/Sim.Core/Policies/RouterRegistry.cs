using System;
using System.Collections.Generic;

namespace Sim.Core.Policies
{
    /// <summary>Routers by the name a scene gives in <c>cluster.router</c>, each made from the scene seed. A new router is one line here.</summary>
    public static class RouterRegistry
    {
        static readonly Dictionary<string, Func<ulong, IRouter>> Factories = new Dictionary<string, Func<ulong, IRouter>>(StringComparer.Ordinal)
        {
            ["round-robin"] = _ => new RoundRobinRouter(),
            ["least-loaded"] = _ => new LeastLoadedRouter(),
            ["least-kv"] = _ => new LeastKvRouter(),
            ["power-of-two"] = seed => new PowerOfTwoRouter(seed),
            ["prefix-aware"] = _ => new PrefixAwareRouter(),
        };

        public static IReadOnlyCollection<string> Names => Factories.Keys;

        public static IRouter Create(string name, ulong seed) =>
            Factories.TryGetValue(name, out var factory) ? factory(seed) : throw new ArgumentException("unknown router '" + name + "'", nameof(name));
    }
}
