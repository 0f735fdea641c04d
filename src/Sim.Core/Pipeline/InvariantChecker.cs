using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.Policies;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// Verifies after each iteration that KV pages in use plus free pages make the total, that no page has
    /// two owners and each running request holds exactly the pages its computed tokens need; and at the
    /// end that every request ended exactly once with as many tokens generated as it asked for.
    /// </summary>
    public sealed class InvariantChecker
    {
        readonly World _world;
        readonly RequestLog _log;
        readonly int[][] _visitedStamp;
        int _stamp;

        public InvariantChecker(World world, Cluster cluster)
        {
            _world = world;
            _log = world.GetResource<RequestLog>();
            _visitedStamp = new int[cluster.Replicas.Length][];
            foreach (ReplicaRuntime replica in cluster.Replicas)
                _visitedStamp[replica.Index] = new int[replica.Kv.TotalPages];
        }

        public void Check(ReplicaRuntime replica)
        {
            KvBlockPool kv = replica.Kv;
            int freeChain = kv.CountFreeChain();
            if (freeChain != kv.FreePages)
                Fail(replica, "free queue holds " + freeChain + " pages but " + kv.FreePages + " are counted free");
            _stamp++;
            int owned = 0;
            foreach (Entity request in replica.Running)
                owned += CheckPages(replica, request);
            for (int i = 0; i < replica.Waiting.Count; i++)
                if (_world.Get<KvPageTable>(replica.Waiting[i]).PageCount != 0)
                    Fail(replica, "waiting request " + _world.Get<RequestInfo>(replica.Waiting[i]).Id + " holds pages");
            if (owned + kv.FreePages != kv.TotalPages)
                Fail(replica, owned + " pages owned + " + kv.FreePages + " free != " + kv.TotalPages + " total");
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

        int CheckPages(ReplicaRuntime replica, Entity request)
        {
            long id = _world.Get<RequestInfo>(request).Id;
            KvPageTable table = _world.Get<KvPageTable>(request);
            int computed = _world.Get<RequestProgress>(request).ComputedTokens;
            int heldTokens = replica.Scheduler.ReservesWholeRequest ? WholeRequestBatching.WholeLengthTokens(_world.Get<RequestInfo>(request)) : computed;
            if (table.PageCount != replica.Kv.PagesFor(heldTokens))
                Fail(replica, "request " + id + " holds " + table.PageCount + " pages for " + heldTokens + " tokens (" + computed + " computed)");
            int[] visited = _visitedStamp[replica.Index];
            int count = 0;
            for (int index = table.PageCount == 0 ? -1 : table.FirstPage; index != -1; index = replica.Kv.Page(index).NextOwned)
            {
                if (visited[index] == _stamp) Fail(replica, "page " + index + " is owned twice");
                visited[index] = _stamp;
                if (replica.Kv.Page(index).OwnerRequestId != id) Fail(replica, "page " + index + " is in request " + id + "'s chain but owned by " + replica.Kv.Page(index).OwnerRequestId);
                if (++count > table.PageCount) break;
            }
            if (count != table.PageCount) Fail(replica, "request " + id + "'s page chain has " + count + " pages, its table says " + table.PageCount);
            return count;
        }

        static void Fail(ReplicaRuntime replica, string what) => throw new InvariantViolationException("replica " + replica.Index + ": " + what);
    }
}
