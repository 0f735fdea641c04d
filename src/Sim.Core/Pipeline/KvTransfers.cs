using System.Collections.Generic;
using Sim.Core.Ecs;
using Sim.Core.Policies;
using Sim.Core.Snapshots;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// World resource of a disaggregated cluster: requests whose prompt KV is crossing from a prefill replica to the
    /// decode pool, in order of arrival there (ties in request order), and the router that picks their decode replica.
    /// </summary>
    public sealed class KvTransfers : ISnapshotState
    {
        readonly List<(double ReadyS, long RequestId, Entity Request)> _inFlight = new List<(double, long, Entity)>();

        public KvTransfers(IRouter decodeRouter, double kvBytesPerToken, double linkBytesPerS, double linkLatencyS)
        {
            DecodeRouter = decodeRouter;
            KvBytesPerToken = kvBytesPerToken;
            LinkBytesPerS = linkBytesPerS;
            LinkLatencyS = linkLatencyS;
        }

        public IRouter DecodeRouter { get; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_inFlight);
            (DecodeRouter as ISnapshotState)?.Save(writer);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            reader.ReadInto(_inFlight);
            (DecodeRouter as ISnapshotState)?.Load(reader);
        }

        /// <summary>KV bytes of one token over all of a replica's GPUs.</summary>
        public double KvBytesPerToken { get; }

        public double LinkBytesPerS { get; }

        public double LinkLatencyS { get; }

        public int Count => _inFlight.Count;

        /// <summary>When the next transfer lands; infinity when none is under way.</summary>
        public double NextReadyS => _inFlight.Count > 0 ? _inFlight[0].ReadyS : double.PositiveInfinity;

        /// <summary>Time for the KV of <paramref name="tokens"/> tokens to cross the link.</summary>
        public double TransferS(int tokens) => LinkLatencyS + tokens * KvBytesPerToken / LinkBytesPerS;

        public void Start(Entity request, long requestId, double readyS)
        {
            var entry = (readyS, requestId, request);
            int at = _inFlight.Count;
            while (at > 0 && (_inFlight[at - 1].ReadyS > readyS || (_inFlight[at - 1].ReadyS == readyS && _inFlight[at - 1].RequestId > requestId))) at--;
            _inFlight.Insert(at, entry);
        }

        /// <summary>Takes the next transfer that has landed by <paramref name="nowS"/>; false when none has.</summary>
        public bool TryLand(double nowS, out Entity request, out long requestId)
        {
            if (_inFlight.Count == 0 || _inFlight[0].ReadyS > nowS)
            {
                request = default;
                requestId = -1;
                return false;
            }
            request = _inFlight[0].Request;
            requestId = _inFlight[0].RequestId;
            _inFlight.RemoveAt(0);
            return true;
        }
    }
}
