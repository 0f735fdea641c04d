using System;
using System.Threading.Tasks;
using Orleans;
using Orleans.Runtime;

namespace Sim.Headless.Cluster
{
    public sealed class WorkerGrain : Grain, IWorkerGrain
    {
        readonly WorkerOptions _options;
        readonly ILocalSiloDetails _silo;

        public WorkerGrain(WorkerOptions options, ILocalSiloDetails silo)
        {
            _options = options;
            _silo = silo;
        }

        public Task<WorkerInfo> Info() => Task.FromResult(new WorkerInfo
        {
            Version = _options.Version,
            Slots = _options.Slots,
            Silo = _silo.SiloAddress.ToParsableString(),
            Host = Environment.MachineName,
        });
    }
}
