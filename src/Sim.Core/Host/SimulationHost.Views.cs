using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Host
{
    /// <summary>Read-only views of the run for windows and pages: last batch, queues, page map, experts.</summary>
    public sealed partial class SimulationHost
    {
        /// <summary><paramref name="replica"/>'s last finished iteration; null before its first.</summary>
        public IterationView? LastIteration(int replica) => _lastIterations[replica];

        /// <summary>Requests waiting on <paramref name="replica"/>, in queue order.</summary>
        public IReadOnlyList<RequestView> Waiting(int replica)
        {
            return ViewsOf(RequestQueue.Waiting(_simulation.World, _simulation.Cluster.Replicas[replica]));
        }

        /// <summary>Requests running on <paramref name="replica"/>, in batch order.</summary>
        public IReadOnlyList<RequestView> Running(int replica)
        {
            return ViewsOf(RequestQueue.Running(_simulation.World, _simulation.Cluster.Replicas[replica]));
        }

        /// <summary>Every KV page of <paramref name="replica"/> by physical index: free, held (and by whom) or cached.</summary>
        public IReadOnlyList<PageView> Pages(int replica)
        {
            ReplicaRuntime runtime = _simulation.Cluster.Replicas[replica];
            var owners = new long[runtime.Kv.TotalPages];
            var blocks = new int[owners.Length];
            for (int i = 0; i < owners.Length; i++) owners[i] = blocks[i] = -1;
            foreach (RequestRow request in RequestQueue.Running(_simulation.World, runtime)) MarkOwner(request, owners, blocks);
            foreach (RequestRow request in RequestQueue.Waiting(_simulation.World, runtime)) MarkOwner(request, owners, blocks);
            var pages = new PageView[owners.Length];
            for (int i = 0; i < pages.Length; i++)
            {
                ref KvPage page = ref runtime.Kv.Page(i);
                PageUse use = page.RefCount > 0 ? PageUse.Owned : page.ContentKey != 0 ? PageUse.Cached : PageUse.Free;
                pages[i] = new PageView(use, owners[i], blocks[i], page.RefCount);
            }
            return pages;
        }

        /// <summary>Every expert of <paramref name="replica"/> (MoE scenes; empty otherwise), by layer then index.</summary>
        public IReadOnlyList<ExpertState> Experts(int replica)
        {
            var experts = new List<ExpertState>();
            _simulation.World.Query(new QueryDescription().WithAll<ExpertState>(), (ref ExpertState expert) =>
            {
                if (expert.Replica == replica) experts.Add(expert);
            });
            experts.Sort((a, b) => a.Layer != b.Layer ? a.Layer.CompareTo(b.Layer) : a.Index.CompareTo(b.Index));
            return experts;
        }

        static void MarkOwner(in RequestRow request, long[] owners, int[] blocks)
        {
            ref KvPageTable table = ref request.Pages;
            long id = request.Info.Id;
            for (int i = 0; i < table.PageCount; i++)
                if (owners[table.Pages[i]] < 0)
                {
                    owners[table.Pages[i]] = id;
                    blocks[table.Pages[i]] = i;
                }
        }

        RequestView[] ViewsOf(RequestQueue queue)
        {
            var views = new RequestView[queue.Count];
            int i = 0;
            foreach (RequestRow request in queue) views[i++] = ViewOf(request.Entity);
            return views;
        }

        RequestView ViewOf(Entity request)
        {
            World world = _simulation.World;
            ref RequestProgress progress = ref world.Get<RequestProgress>(request);
            int resident = _tokens != null && progress.TokenSlot >= 0 ? _tokens.ResidentTokens(progress.TokenSlot) : -1;
            return new RequestView(world.Get<RequestInfo>(request), progress, world.Get<KvPageTable>(request).PageCount, resident);
        }
    }
}
