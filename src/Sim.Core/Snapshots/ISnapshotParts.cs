using System.Collections.Generic;

namespace Sim.Core.Snapshots
{
    /// <summary>
    /// An object whose state lives partly in objects it owns: a snapshot saves its own data fields, then each part
    /// in this order (the order is the snapshot's layout).
    /// </summary>
    internal interface ISnapshotParts
    {
        IEnumerable<object> SnapshotParts { get; }
    }

    /// <summary>Saves and restores an object and, recursively, its parts.</summary>
    internal static class SnapshotTree
    {
        public static void Save(object target, SnapshotWriter writer)
        {
            StateFields.Save(target, writer);
            if (target is ISnapshotParts owner)
                foreach (object part in owner.SnapshotParts) Save(part, writer);
        }

        public static void Load(object target, SnapshotReader reader)
        {
            StateFields.Load(target, reader);
            if (target is ISnapshotParts owner)
                foreach (object part in owner.SnapshotParts) Load(part, reader);
        }
    }
}
