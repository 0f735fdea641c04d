using System.Threading.Tasks;
using Orleans;
using Sim.Core;

namespace Sim.Headless.Cluster
{
    /// <summary>Runs one point on its worker, at most <see cref="WorkerOptions.Slots"/> at once per worker, then deactivates.</summary>
    public sealed class PointGrain : Grain, IPointGrain
    {
        readonly PointRunner _runner;
        readonly WorkerSlots _slots;
        bool _running;

        public PointGrain(PointRunner runner, WorkerSlots slots)
        {
            _runner = runner;
            _slots = slots;
        }

        public async Task<PointOutcome> Run(PointJob job, ITraceSource traces)
        {
            _running = true;
            await _slots.Gate.WaitAsync();
            try
            {
                return new PointOutcome { Result = PointResultCodec.Encode(await _runner.Run(job, traces)) };
            }
            catch (SimInputException e)
            {
                return new PointOutcome { Error = e.Message };
            }
            finally
            {
                _slots.Gate.Release();
                DeactivateOnIdle();
            }
        }

        public Task<bool> IsRunning() => Task.FromResult(_running);
    }
}
