using System;
using System.Collections.Generic;

namespace Sim.Core.Policies
{
    /// <summary>Routers by the name a scene gives in <c>cluster.router</c>. A new router is one line here.</summary>
    public static class RouterRegistry
    {
        static readonly Dictionary<string, Func<IRouter>> Factories = new Dictionary<string, Func<IRouter>>(StringComparer.Ordinal)
        {
            ["round-robin"] = () => new RoundRobinRouter(),
        };

        public static IReadOnlyCollection<string> Names => Factories.Keys;

        public static IRouter Create(string name) =>
            Factories.TryGetValue(name, out var factory) ? factory() : throw new ArgumentException("unknown router '" + name + "'", nameof(name));
    }
}
