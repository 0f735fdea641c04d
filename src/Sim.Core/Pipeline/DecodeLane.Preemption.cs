using System;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Policies;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A batch that preempts, scheduled by the lane (<see cref="IPreemptsNewestForDecodes"/>): the running decodes reserve their
    /// pages in running order, and one that finds none preempts the newest running requests, by recompute, through the
    /// scheduler's own <see cref="Preemption.PreemptNewest"/>, each written back first. The newest are the lane's last, so the
    /// lane keeps its first requests' values and the batch is their decodes, as an admission's (<see cref="TakeAdmission"/>).
    /// </summary>
    internal sealed partial class DecodeLane
    {
        /// <summary>
        /// The schedule phase of the replica's batch when its decodes lack pages (<see cref="PagesSuffice"/> false), as the
        /// scheduler makes it; the lane keeps the requests that stay running.
        /// </summary>
        void SchedulePreemptions(World world, ref ReplicaInfo info, double nowS)
        {
            KvBlockPool pool = _replica.Kv;
            int block = pool.BlockTokens;
            // This decision replaces any the lane owes the world (Fold).
            _scheduledSinceFold = false;
            SchedulerOutput decision = _replica.InFlight;
            decision.Clear(_replica.Index, info.Iterations, nowS);
            int running = Running;
            for (int i = 0; i < running; i++)
            {
                if (_pageDue[i] == _completed)
                {
                    while (running > i && pool.FreePages == 0)
                    {
                        // The newest running request leaves, its values written back first; it may be this decode's own.
                        WriteBackOne(world, --running);
                        Preemption.PreemptNewest(world, _replica, decision);
                    }
                    // This decode was the newest and left: the scheduler schedules no running request after it.
                    if (i == running) break;
                    int row = _columns.Locate(world, _requests[i]);
                    pool.TakeEmptyPage(ref _columns.Tables[row], pool.EmptyQueue);
                    _pageDue[i] += block;
                }
                decision.Add(new ScheduledSequence { Request = _requests[i], RequestId = _ids[i], NewTokens = 1, ContextTokens = _computedTokens[i] + _completed, IsPrefill = false });
            }
            Running = running;
            if (running == 0) throw new InvalidOperationException("replica " + _replica.Index + " has work but its scheduler chose an empty batch at t=" + nowS + " s");
            RequestQueue.Both(world, _replica, out RequestQueue waiting, out RequestQueue queue);
            ScheduleSystem.Decided(_replica, waiting.Count, queue.Count, ref info);
        }

        /// <summary>Writes running request <paramref name="i"/>'s values back to its components, as <see cref="Fold"/> would.</summary>
        void WriteBackOne(World world, int i)
        {
            if (!_dirty || (_completed == 0 && (_firstToken[i] || _recomputed[i]))) return;
            int row = _columns.Locate(world, _requests[i]);
            WriteBack(i, ref _columns.Progress[row], ref _columns.Times[row]);
        }
    }
}
