using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// Verifies after each iteration that the empty-page queue links each of its pages once, that every page's
    /// reference count is the number of page tables holding it, that pages nobody holds are exactly the empty and the evictable cached ones, that the prefix index agrees
    /// with the pages, and that each running request holds the pages its tokens need; and at the end that every
    /// request ended exactly once with as many tokens generated as it asked for.
    /// </summary>
    public sealed class InvariantChecker
    {
        readonly World _world;
        readonly RequestLog _log;
        readonly int[][] _holders;

        public InvariantChecker(World world, Cluster cluster)
        {
            _world = world;
            _log = world.GetResource<RequestLog>();
            _holders = new int[cluster.Replicas.Length][];
            foreach (ReplicaRuntime replica in cluster.Replicas)
                _holders[replica.Index] = new int[replica.Kv.TotalPages];
        }

        public void Check(ReplicaRuntime replica)
        {
            KvBlockPool kv = replica.Kv;
            if (!kv.EmptyQueueIsSound(out string emptyProblem))
                Fail(replica, emptyProblem);
            int[] holders = _holders[replica.Index];
            System.Array.Clear(holders, 0, holders.Length);
            RequestQueue.Both(_world, replica, out RequestQueue waiting, out RequestQueue running);
            CheckLinks(replica, running, QueueKind.Running);
            CheckLinks(replica, waiting, QueueKind.Waiting);
            foreach (RequestRow request in running)
                CountPages(replica, request.Entity, holders);
            foreach (RequestRow request in waiting)
                if (request.Pages.PageCount + request.Pages.PackedCount != 0)
                    Fail(replica, "waiting request " + request.Info.Id + " holds pages");
            int unheld = 0;
            for (int page = 0; page < holders.Length; page++)
            {
                int refCount = kv.Page(page).RefCount;
                if (refCount != holders[page]) Fail(replica, "page " + page + " counts " + refCount + " holders but " + holders[page] + " page tables hold it");
                if (refCount == 0) unheld++;
            }
            if (unheld != kv.FreePages)
                Fail(replica, unheld + " pages are held by nobody but " + kv.FreePages + " are counted free");
            if (kv.Prefix != null && !kv.Prefix.IndexMatchesPages(out string problem))
                Fail(replica, problem);
        }

        /// <summary>At the end of a run: every request ended once and produced what it asked for.</summary>
        public void CheckFinished(long arrivedRequests)
        {
            if (_log.Count != arrivedRequests || _log.Completed + _log.Rejected != _log.Count)
                throw new InvariantViolationException(_log.Count + " requests arrived, " + _log.Completed + " completed and " + _log.Rejected + " rejected");
            long asked = 0;
            foreach (RequestRecord record in _log.Records)
                if (record.Outcome == RequestOutcome.Completed) asked += record.OutputTokens;
            if (asked != _log.EmittedTokens)
                throw new InvariantViolationException(_log.EmittedTokens + " tokens generated but completed requests asked for " + asked);
        }

        /// <summary>The queue's links agree both ways, name the queue, reach its back, and count its length; each member routed here, in the matching phase.</summary>
        void CheckLinks(ReplicaRuntime replica, RequestQueue queue, QueueKind kind)
        {
            int count = 0;
            Entity previous = Entity.Null;
            foreach (RequestRow row in queue)
            {
                Entity request = row.Entity;
                ref QueueLink link = ref row.Link;
                RequestPhase phase = kind == QueueKind.Running ? RequestPhase.Running : RequestPhase.Queued;
                if (link.Queue != kind || link.Previous != previous || row.Progress.Replica != replica.Index || row.Progress.Phase != phase)
                    Fail(replica, "request " + row.Info.Id + " is linked into the " + kind + " queue as " + link.Queue + " after " + link.Previous
                        + " (expected " + previous + "), routed to " + row.Progress.Replica + ", " + row.Progress.Phase);
                previous = request;
                if (++count > queue.Count) Fail(replica, "the " + kind + " queue links more than its " + queue.Count + " requests");
            }
            if (count != queue.Count || previous != queue.Last)
                Fail(replica, "the " + kind + " queue links " + count + " requests ending at " + previous + " but counts " + queue.Count + " ending at " + queue.Last);
        }

        void CountPages(ReplicaRuntime replica, Entity request, int[] holders)
        {
            long id = _world.Get<RequestInfo>(request).Id;
            KvPageTable table = _world.Get<KvPageTable>(request);
            int computed = _world.Get<RequestProgress>(request).ComputedTokens;
            KvReservation reservation = replica.Scheduler.Reservation;
            int heldTokens = reservation == KvReservation.WholeRequest ? WholeRequestBatching.WholeLengthTokens(_world.Get<RequestInfo>(request)) : computed;
            // A whole-prompt reservation holds the rest of a prompt still being computed (the pages a decode needs come one at a time).
            bool wholePromptHeld = reservation == KvReservation.WholePrompt && table.PageCount == replica.Kv.PagesFor(computed + new RequestRow(_world, request).Uncomputed);
            if (table.PageCount != replica.Kv.PagesFor(heldTokens) && !wholePromptHeld)
                Fail(replica, "request " + id + " holds " + table.PageCount + " pages for " + heldTokens + " tokens (" + computed + " computed)");
            for (int i = 0; i < table.PageCount; i++)
            {
                int page = table.Pages[i];
                if (page == -1) continue; // freed by token-level eviction
                if (page < 0 || page >= holders.Length) Fail(replica, "request " + id + " holds page " + page + ", outside the pool");
                holders[page]++;
            }
            for (int i = 0; i < table.PackedCount; i++) holders[table.PackedPages[i]]++;
        }

        static void Fail(ReplicaRuntime replica, string what) => throw new InvariantViolationException("replica " + replica.Index + ": " + what);
    }
}
