using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;
using Sim.Core.Policies.Orders;

namespace Sim.Core.Policies
{
    /// <summary>
    /// Which waiting request is admitted next (<c>scheduler.order</c>). Preempted requests come first (they hold
    /// progress, and swap space), then requests that have waited <see cref="StarvationS"/> or longer, both in arrival
    /// order; then the rest by the order's key, ties in arrival order. First-come first-served is the queue as it is.
    /// </summary>
    public sealed class AdmissionOrder
    {
        public static readonly AdmissionOrder Fcfs = new AdmissionOrder(AdmissionOrderKind.Fcfs, double.PositiveInfinity);

        public AdmissionOrder(AdmissionOrderKind kind, double starvationS)
        {
            Kind = kind;
            StarvationS = starvationS;
        }

        public AdmissionOrderKind Kind { get; }

        /// <summary>Waiting time after which a request goes ahead of every request not yet starved.</summary>
        public double StarvationS { get; }

        /// <summary>Whether the waiting queue's own order is the admission order (first-come first-served).</summary>
        public bool KeepsQueueOrder => Kind.Key().KeepsQueueOrder;

        /// <summary>Moves the request to admit next to the front of <paramref name="waiting"/> (a scan of the queue; none for FCFS).</summary>
        public void BringNextToFront(World world, RequestQueue waiting, double nowS)
        {
            if (KeepsQueueOrder || waiting.Count < 2) return;
            Entity best = waiting.First;
            (int Rank, long Key, long Id) bestKey = KeyOf(world, best, nowS);
            for (Entity request = waiting.After(best); !request.IsNull; request = waiting.After(request))
            {
                (int Rank, long Key, long Id) key = KeyOf(world, request, nowS);
                if (key.CompareTo(bestKey) < 0)
                {
                    best = request;
                    bestKey = key;
                }
            }
            waiting.MoveToFront(best);
        }

        (int Rank, long Key, long Id) KeyOf(World world, Entity request, double nowS)
        {
            var row = new RequestRow(world, request);
            ref RequestInfo info = ref row.Info;
            if (row.Progress.Preemptions > 0) return (0, 0, info.Id);
            if (nowS - info.ArrivalS >= StarvationS) return (1, 0, info.Id);
            long key = Kind.Key().Key(row);
            return (2, key, info.Id);
        }
    }

    /// <summary>An admission order's id: its row in <see cref="AdmissionOrders"/>, where each order's key is.</summary>
    public enum AdmissionOrderKind
    {
        Fcfs,
        ShortestPromptFirst,
        Priority,
    }
}
