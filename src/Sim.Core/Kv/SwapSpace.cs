using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// Host memory that preempted requests' KV is swapped out to (<c>scheduler.preemption: swap</c>), and the cost of
    /// moving it over PCIe each way. A victim that does not fit is preempted by recompute instead.
    /// </summary>
    public sealed class SwapSpace : ISnapshotState
    {
        public SwapSpace(long capacityTokens, double bytesPerToken, double bandwidthBytesPerS)
        {
            if (capacityTokens < 0) throw new ArgumentOutOfRangeException(nameof(capacityTokens));
            CapacityTokens = capacityTokens;
            BytesPerToken = bytesPerToken;
            BandwidthBytesPerS = bandwidthBytesPerS;
        }

        public long CapacityTokens { get; }

        public long UsedTokens { get; private set; }

        void ISnapshotState.Save(SnapshotWriter writer) => writer.Write(UsedTokens);

        void ISnapshotState.Load(SnapshotReader reader) => UsedTokens = reader.Read<long>();

        /// <summary>KV bytes of one token over all the replica's GPUs.</summary>
        public double BytesPerToken { get; }

        /// <summary>Host link bandwidth of the whole replica (all its GPUs' PCIe together).</summary>
        public double BandwidthBytesPerS { get; }

        /// <summary>Time to copy <paramref name="tokens"/> tokens of KV one way.</summary>
        public double TransferS(int tokens) => tokens * BytesPerToken / BandwidthBytesPerS;

        /// <summary>Takes room for <paramref name="tokens"/> swapped-out tokens; false, changing nothing, when it is full.</summary>
        public bool TryTake(int tokens)
        {
            if (UsedTokens + tokens > CapacityTokens) return false;
            UsedTokens += tokens;
            return true;
        }

        /// <summary>A swapped request came back: its tokens leave host memory.</summary>
        public void Give(int tokens) => UsedTokens -= tokens;
    }
}
