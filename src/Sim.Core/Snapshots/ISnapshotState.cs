namespace Sim.Core.Snapshots
{
    /// <summary>
    /// Run state outside the world's columns: the object writes its fields to a snapshot, and the objects it owns,
    /// in a fixed order, and reads them back in the same order. Each field is named in code, never found by
    /// reflection, so what a snapshot holds is what its owners say.
    /// </summary>
    internal interface ISnapshotState
    {
        void Save(SnapshotWriter writer);

        void Load(SnapshotReader reader);
    }
}
