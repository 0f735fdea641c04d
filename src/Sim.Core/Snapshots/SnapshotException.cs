using System;

namespace Sim.Core.Snapshots
{
    /// <summary>A snapshot that cannot be restored here: damaged, from another build, or of another scene.</summary>
    public sealed class SnapshotException : Exception
    {
        public SnapshotException(string message) : base(message)
        {
        }
    }
}
