using Sim.Core.Metrics;

namespace Sim.Core.Tests.Support
{
    /// <summary>An iteration sink that adds up the prompt tokens computed: the prefill work a run did.</summary>
    internal sealed class PrefillCounter : IIterationSink
    {
        public long PrefillTokens { get; private set; }

        public void OnIteration(in IterationRecord iteration) => PrefillTokens += iteration.PrefillTokens;
    }
}
