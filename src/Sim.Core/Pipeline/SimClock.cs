using Sim.Core.Snapshots;

namespace Sim.Core.Pipeline
{
    /// <summary>World resource: the discrete-event clock. Time jumps from event to event (arrivals, iteration ends).</summary>
    public sealed class SimClock : ISnapshotState
    {
        public double NowS { get; set; }

        /// <summary>Steps taken (event times visited).</summary>
        public long Steps { get; set; }

        /// <summary>No arrival is left and every replica is idle with empty queues.</summary>
        public bool Done { get; set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(NowS);
            writer.Write(Steps);
            writer.Write(Done);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            NowS = reader.Read<double>();
            Steps = reader.Read<long>();
            Done = reader.Read<bool>();
        }
    }
}
