using System.Threading.Tasks;
using Orleans;

namespace Sim.Headless.Cluster
{
    /// <summary>One per worker, keyed by its silo address and placed there by the placement hint.</summary>
    public interface IWorkerGrain : IGrainWithStringKey
    {
        [ResponseTimeout("00:00:10")]
        Task<WorkerInfo> Info();
    }
}
