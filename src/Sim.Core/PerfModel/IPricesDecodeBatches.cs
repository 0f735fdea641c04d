namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A perf model whose time for a batch of decodes alone depends only on the batch's size and its KV token sums, so a
    /// batch whose contexts all grew by one is priced from two running sums instead of every sequence again (the decode
    /// fast-forward's repeated batches).
    /// </summary>
    public interface IPricesDecodeBatches
    {
        /// <summary>The KV tile each decode's keys are rounded up to (1: none).</summary>
        int DecodeKvTile { get; }

        /// <summary>
        /// <see cref="IPerfModel.IterationTimeS"/>, to the bit, of <paramref name="sequences"/> (at least one) decodes whose
        /// Σ (context + 1) is <paramref name="kvTokens"/>, and Σ of each (context + 1) rounded up to <see cref="DecodeKvTile"/> is <paramref name="tiledKvTokens"/>.
        /// </summary>
        double DecodeBatchS(int sequences, double kvTokens, double tiledKvTokens);
    }
}
