using Sim.Core.Snapshots;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// What one replica's iteration in flight did, beside what its scheduler decided (<see cref="Policies.SchedulerOutput"/>):
    /// the queues and KV pages as the batch started, the times each execute system added, the hand-offs it started.
    /// Each field has one writer, named on it. Reused every iteration.
    /// </summary>
    public sealed class IterationOutcome : ISnapshotState
    {
        /// <summary>KV pages in use during the iteration, after its reservations (schedule phase).</summary>
        public int KvUsedPages { get; internal set; }

        /// <summary>Queue lengths right after scheduling (schedule phase).</summary>
        public int Waiting { get; internal set; }

        public int Running { get; internal set; }

        /// <summary>The target model's forward pass: the perf model's time (execute system), plus MoE's routing and expert loads (MoE cost system).</summary>
        public double ComputeS { get; internal set; }

        /// <summary>The drafter's steps before the verifying pass, with speculative decoding (execute system).</summary>
        public double DraftS { get; internal set; }

        /// <summary>Of <see cref="ComputeS"/>, the wait for MoE experts loaded into HBM (MoE cost system).</summary>
        public double ExpertLoadS { get; internal set; }

        /// <summary>The whole iteration: compute, drafts and the scheduler's KV copies (batch end system).</summary>
        public double DurationS { get; internal set; }

        /// <summary>Requests that finished their prefill here and left for the decode pool (hand-off system).</summary>
        public int HandOffs { get; internal set; }

        /// <summary>The longest of those hand-offs' KV transfers, from the iteration's end (hand-off system).</summary>
        public double HandOffS { get; internal set; }

        internal void Clear()
        {
            KvUsedPages = 0;
            Waiting = 0;
            Running = 0;
            ComputeS = 0;
            DraftS = 0;
            ExpertLoadS = 0;
            DurationS = 0;
            HandOffs = 0;
            HandOffS = 0;
        }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(KvUsedPages);
            writer.Write(Waiting);
            writer.Write(Running);
            writer.Write(ComputeS);
            writer.Write(DraftS);
            writer.Write(ExpertLoadS);
            writer.Write(DurationS);
            writer.Write(HandOffs);
            writer.Write(HandOffS);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            KvUsedPages = reader.Read<int>();
            Waiting = reader.Read<int>();
            Running = reader.Read<int>();
            ComputeS = reader.Read<double>();
            DraftS = reader.Read<double>();
            ExpertLoadS = reader.Read<double>();
            DurationS = reader.Read<double>();
            HandOffs = reader.Read<int>();
            HandOffS = reader.Read<double>();
        }
    }
}
