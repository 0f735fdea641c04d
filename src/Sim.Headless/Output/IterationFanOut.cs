using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>Hands each iteration to several sinks in turn (iterations.csv and the timeline).</summary>
    public sealed class IterationFanOut : IIterationSink
    {
        readonly IIterationSink[] _sinks;

        public IterationFanOut(params IIterationSink[] sinks) => _sinks = sinks;

        public void OnIteration(in IterationRecord iteration)
        {
            foreach (IIterationSink sink in _sinks) sink.OnIteration(iteration);
        }
    }
}
