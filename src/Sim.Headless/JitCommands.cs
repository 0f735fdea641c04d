using System;
using System.Diagnostics.CodeAnalysis;

namespace Sim.Headless
{
    /// <summary>
    /// Whether this build runs the commands that need the runtime's JIT: <c>sim worker</c> and <c>--cluster</c> (Orleans
    /// binds grains and serializers by reflection and generates code at run time), <c>sim view</c> (its rewind snapshots
    /// go through MemoryPack's reflective formatter lookup) and <c>--iterations parquet</c> (Parquet.Net builds its column
    /// types by reflection). The ahead-of-time compiled <c>sim</c> is built with the switch off: the compiler drops those
    /// paths as unreachable, and they run in the JIT build published beside it (<see cref="JitCompanion"/>). The JIT
    /// build leaves the switch unset: on.
    /// </summary>
    internal static class JitCommands
    {
        const string Switch = "Sim.Headless.JitCommands";

        [FeatureSwitchDefinition(Switch)]
        public static bool IsAvailable => !AppContext.TryGetSwitch(Switch, out bool available) || available;
    }
}
