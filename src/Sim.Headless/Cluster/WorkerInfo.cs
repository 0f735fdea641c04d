using Orleans;

namespace Sim.Headless.Cluster
{
    /// <summary>What a worker tells a client before it gets points: its build, how many points it runs at once, where it is.</summary>
    [GenerateSerializer]
    public sealed class WorkerInfo
    {
        [Id(0)] public string Version { get; set; } = "";

        [Id(1)] public int Slots { get; set; }

        /// <summary>The silo's address, to check the grain answered from the silo it was meant for.</summary>
        [Id(2)] public string Silo { get; set; } = "";

        [Id(3)] public string Host { get; set; } = "";
    }
}
