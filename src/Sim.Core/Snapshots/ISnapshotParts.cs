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

    /// <summary>An object that writes its own state (one holding collections of objects, which fields cannot describe).</summary>
    internal interface ICustomSnapshot
    {
        void Save(SnapshotWriter writer);

        void Load(SnapshotReader reader);
    }

    /// <summary>Saves and restores an object (its own way, else its data fields) and, recursively, its parts.</summary>
    internal static class SnapshotTree
    {
        public static void Save(object target, SnapshotWriter writer)
        {
            if (target is ICustomSnapshot custom) custom.Save(writer);
            else StateFields.Save(target, writer);
            if (target is ISnapshotParts owner)
                foreach (object part in owner.SnapshotParts) Save(part, writer);
        }

        public static void Load(object target, SnapshotReader reader)
        {
            if (target is ICustomSnapshot custom) custom.Load(reader);
            else StateFields.Load(target, reader);
            if (target is ISnapshotParts owner)
                foreach (object part in owner.SnapshotParts) Load(part, reader);
        }
    }
}
