using System;

namespace Sim.Headless.Cluster
{
    /// <summary>The cluster could not finish the work (no worker, or a point that keeps losing its workers); one line for the user.</summary>
    public sealed class ClusterException : Exception
    {
        public ClusterException(string message) : base(message)
        {
        }
    }
}
