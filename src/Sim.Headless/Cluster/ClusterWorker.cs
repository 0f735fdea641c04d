using Orleans.Runtime;

namespace Sim.Headless.Cluster
{
    /// <summary>A worker as the client sees it: its silo, what it reported, and whether it is refused or gone.</summary>
    internal sealed class ClusterWorker
    {
        public ClusterWorker(SiloAddress silo, WorkerInfo info, bool refused)
        {
            Silo = silo;
            Info = info;
            Refused = refused;
        }

        public SiloAddress Silo { get; }

        public WorkerInfo Info { get; }

        /// <summary>Another build: never given points.</summary>
        public bool Refused { get; }

        /// <summary>Left the cluster: given no more points.</summary>
        public volatile bool Gone;

        public string Name => Info.Host + " (" + Silo.ToParsableString() + ")";
    }
}
