using Orleans;

namespace Sim.Headless.Cluster
{
    /// <summary>What a worker sends back for a point: the encoded <see cref="Studies.PointResult"/>, or the one-line error the point itself raised.</summary>
    [GenerateSerializer]
    public sealed class PointOutcome
    {
        [Id(0)] public byte[]? Result { get; set; }

        /// <summary>A mistake in the point (bad scene, unreadable trace): running it elsewhere would fail the same way.</summary>
        [Id(1)] public string? Error { get; set; }
    }
}
