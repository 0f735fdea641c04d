using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;

namespace Sim.Headless.Cluster
{
    /// <summary>Runs one point. Keyed by run, point and attempt, so a point re-run after a lost worker is a fresh activation.</summary>
    public interface IPointGrain : IGrainWithStringKey
    {
        /// <summary>A point is a whole replay: the client watches it with <see cref="IsRunning"/> instead of a response timeout.</summary>
        [ResponseTimeout("7.00:00:00")]
        Task<PointOutcome> Run(PointJob job, ITraceSource traces);

        /// <summary>Answers while <see cref="Run"/> is in progress; a fresh activation (its worker gone) answers false.</summary>
        [AlwaysInterleave]
        [ResponseTimeout("00:00:10")]
        Task<bool> IsRunning();
    }
}
