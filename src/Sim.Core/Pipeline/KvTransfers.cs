using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Policies;
using Sim.Core.Snapshots;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// World resource of a disaggregated cluster: the link's costs and the router that picks a landed request's decode
    /// replica. The transfers themselves are component data, <see cref="KvLanding"/> on the request entities (the
    /// <see cref="InFlight"/> query); what this resource tells of them, their count and the next landing, is read from
    /// that query, not kept beside it.
    /// </summary>
    public sealed class KvTransfers : ISnapshotState
    {
        /// <summary>Requests whose KV is crossing the link, landed or not.</summary>
        public static readonly QueryDescription InFlight = new QueryDescription().WithAll<KvLanding>();

        readonly ChunkEnumerable _inFlightChunks;

        public KvTransfers(World world, IRouter decodeRouter, double kvBytesPerToken, double linkBytesPerS, double linkLatencyS)
        {
            _inFlightChunks = world.GetChunks(in InFlight);
            DecodeRouter = decodeRouter;
            KvBytesPerToken = kvBytesPerToken;
            LinkBytesPerS = linkBytesPerS;
            LinkLatencyS = linkLatencyS;
        }

        public IRouter DecodeRouter { get; }

        // The transfers are saved with the world's components; only the router has state of its own.
        void ISnapshotState.Save(SnapshotWriter writer) => (DecodeRouter as ISnapshotState)?.Save(writer);

        void ISnapshotState.Load(SnapshotReader reader) => (DecodeRouter as ISnapshotState)?.Load(reader);

        /// <summary>KV bytes of one token over all of a replica's GPUs.</summary>
        public double KvBytesPerToken { get; }

        public double LinkBytesPerS { get; }

        public double LinkLatencyS { get; }

        /// <summary>Transfers under way (or landed and not yet routed).</summary>
        public int Count
        {
            get
            {
                int count = 0;
                foreach (Chunk chunk in _inFlightChunks) count += chunk.Count;
                return count;
            }
        }

        /// <summary>When the next transfer lands; infinity when none is under way. A scan of the few requests in flight.</summary>
        public double NextReadyS
        {
            get
            {
                double nextS = double.PositiveInfinity;
                foreach (Chunk chunk in _inFlightChunks)
                {
                    foreach (KvLanding landing in chunk.GetSpan<KvLanding>())
                        if (landing.ReadyS < nextS) nextS = landing.ReadyS;
                }
                return nextS;
            }
        }

        /// <summary>Time for the KV of <paramref name="tokens"/> tokens to cross the link.</summary>
        public double TransferS(int tokens) => LinkLatencyS + tokens * KvBytesPerToken / LinkBytesPerS;
    }
}
