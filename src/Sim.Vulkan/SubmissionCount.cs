namespace Sim.Vulkan
{
    /// <summary>Submissions made by one family of kernels, shared by its objects: how a run's device work is counted (tests, measurements).</summary>
    public sealed class SubmissionCount
    {
        public long Value { get; private set; }

        internal void Add() => Value++;
    }
}
