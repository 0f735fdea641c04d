namespace Sim.Core.Kv.Eviction
{
    /// <summary>
    /// Learned paging with a one-bit prediction per block (after Antoniadis et al., "Paging with Succinct Predictions",
    /// ICML 2023): blocks predicted not to be reused within the horizon leave first, least recently used first among
    /// equals. The bit comes from <see cref="ReusePredictor"/>.
    /// </summary>
    public sealed class PredictedRule : IEvictionRule
    {
        public string Name => "predicted";

        public double Score(in BlockUsage block, double inflationScore) => block.LastAccessS + (block.PredictedReuse != 0 ? ReusePredictor.ReusedOffsetS : 0.0);
    }
}
