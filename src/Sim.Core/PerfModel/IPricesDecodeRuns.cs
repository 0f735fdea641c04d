using System;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A perf model that prices several decode batches of one size in a row at once, as a quiet decode stretch runs them: each
    /// batch's contexts one token longer than the last's, so its KV sum grows by the batch size. Cheaper than as many
    /// <see cref="IPricesDecodeBatches.DecodeBatchS"/> calls where the batches are priced side by side.
    /// </summary>
    public interface IPricesDecodeRuns
    {
        /// <summary>
        /// Into each <paramref name="seconds"/>[k], <see cref="IPricesDecodeBatches.DecodeBatchS"/> to the bit of
        /// <paramref name="sequences"/> decodes with untiled KV sum <paramref name="kvTokens"/> + k · <paramref name="sequences"/>
        /// (<see cref="IPricesDecodeBatches.DecodeKvTile"/> 1).
        /// </summary>
        void DecodeRunS(int sequences, long kvTokens, Span<double> seconds);
    }
}
