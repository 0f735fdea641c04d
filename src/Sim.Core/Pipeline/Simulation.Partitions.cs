using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using Sim.Core.Components;
using Sim.Core.PerfModel;
using Sim.Core.Policies;
using Sim.Core.Scenes;
using Sim.Core.Trace;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// A partitioned run. Behind a round-robin router, which reads nothing of the replicas, replicas that share nothing else
    /// (no disaggregation, MoE, speculative decoding, token mode or prefix caching) each serve exactly the requests of their
    /// turns, whatever the others do. So contiguous groups of them run as simulations of their own, one on each core, each
    /// reading the workload and keeping its replicas' turns; then their request records, KV usage and iteration counts are
    /// gathered into this simulation, whose own world never steps. The figures that add up across replicas are kept per
    /// replica and added in replica order (token gaps, KV page-seconds), so the outputs are the same bytes however the
    /// replicas are grouped, all in one world included. A run that an oversize request stops (<c>oversize: error</c>) stays
    /// in one world, which names the request by its id in the whole run.
    /// </summary>
    public sealed partial class Simulation
    {
        readonly PartitionSource _source;
        // Iterations the partitions' fast-forwards moved.
        long _partitionsFastForwarded;

        /// <summary>
        /// At most how many groups of replicas <see cref="Run"/> runs apart, each on a thread (default: one a core); 1 runs every
        /// replica in this simulation's world. Only scenes whose replicas share nothing are split, and only when the run was
        /// given no iteration sink (its rows come in the whole run's step order), no perf model but a shared one
        /// (<see cref="ISharedPerfModel"/>) and no device backend, and nothing watches it.
        /// </summary>
        public int MaxPartitions { get; set; } = Environment.ProcessorCount;

        /// <summary>How many groups of replicas <see cref="Run"/> ran apart (0: none, the run stepped in this world).</summary>
        public int PartitionsRun { get; private set; }

        /// <summary>Whether the replicas of <paramref name="scene"/> share nothing but the request stream, split round-robin, and no request stops the run.</summary>
        static bool ReplicasRunApart(Scene scene) =>
            scene.Disaggregation == null && scene.Moe == null && scene.Speculative == null && !scene.TokenLevel && !scene.PrefixCaching
            && scene.Oversize != OversizePolicy.Error;

        bool TryRunPartitioned()
        {
            int groups = Math.Min(MaxPartitions, Cluster.Replicas.Length);
            if (groups < 2 || !_source.Partitionable || _clock.Steps > 0 || _clock.Done || Log.Ended != null
                || !(World.GetResource<IRouter>() is RoundRobinRouter) || !ReplicasRunApart(Scene)) return false;
            var parts = new Partition[groups];
            int first = 0;
            for (int g = 0; g < groups; g++)
            {
                // Contiguous groups, the first ones a replica larger when they do not divide evenly.
                int replicas = Cluster.Replicas.Length / groups + (g < Cluster.Replicas.Length % groups ? 1 : 0);
                parts[g] = new Partition(first, replicas, takesUnserved: g == 0, _source.ExpectedRequests * replicas / Cluster.Replicas.Length);
                first += replicas;
            }
            var threads = new Thread[groups - 1];
            for (int g = 1; g < groups; g++)
            {
                Partition part = parts[g];
                threads[g - 1] = new Thread(() => RunPart(part)) { IsBackground = true, Name = "replicas " + part.FirstReplica + "+" + part.Replicas };
                threads[g - 1].Start();
            }
            RunPart(parts[0]);
            foreach (Thread thread in threads) thread.Join();
            PartitionsRun = groups;
            try
            {
                // A group's failure (a broken invariant) is the run's: the first group's first.
                foreach (Partition part in parts)
                    if (part.Error != null) ExceptionDispatchInfo.Capture(part.Error).Throw();
                foreach (Partition part in parts) Gather(part);
            }
            finally
            {
                foreach (Partition part in parts) part.Simulation?.Dispose();
            }
            return true;
        }

        /// <summary>
        /// Builds and runs the simulation of <paramref name="part"/>'s replicas and copies its records to their places where the run's
        /// log, sized for the expected requests, holds them; keeps what it throws for the caller's thread.
        /// </summary>
        void RunPart(Partition part)
        {
            try
            {
                part.Simulation = new Simulation(Scene.WithReplicas(part.Replicas), TurnsOf(part), part.ExpectedRequests, _source.Name, perfModel: _source.PerfModel)
                {
                    MaxPartitions = 1,
                    FastForward = FastForward,
                };
                part.Simulation.Run();
                part.Placed = Log.TryPlace(part.Simulation.Log, part.Ids, part.FirstReplica);
            }
            catch (Exception e)
            {
                part.Error = e;
            }
        }

        /// <summary>
        /// The requests of <paramref name="part"/>'s replicas' turns, numbered from 0 in arrival order (their ids here noted in the
        /// part); the first group also takes those no replica serves, which its arrivals reject.
        /// </summary>
        IEnumerable<TraceRequest> TurnsOf(Partition part)
        {
            RequestLimits limits = World.GetResource<RequestLimits>();
            int replicas = Cluster.Replicas.Length;
            long routed = 0;
            foreach (TraceRequest request in _source.Requests)
            {
                bool mine;
                if (limits.Serves(request.PromptTokens, request.OutputTokens))
                {
                    int turn = RoundRobinRouter.TurnOf(routed++, replicas);
                    mine = turn >= part.FirstReplica && turn < part.FirstReplica + part.Replicas;
                }
                else mine = part.TakesUnserved;
                if (!mine) continue;
                TraceRequest local = request;
                local.Id = part.Ids.Count;
                part.Ids.Add(request.Id);
                yield return local;
            }
        }

        /// <summary>Takes <paramref name="part"/>'s records (copying them now if they were not), KV usage, replica states and clock.</summary>
        void Gather(Partition part)
        {
            Simulation run = part.Simulation!;
            if (!part.Placed) Log.Place(run.Log, part.Ids, part.FirstReplica);
            if (part.Ids.Count > 0) Log.Tally(run.Log, part.Ids[part.Ids.Count - 1], part.FirstReplica);
            KvUsage.Absorb(run.KvUsage, part.FirstReplica);
            for (int r = 0; r < part.Replicas; r++)
            {
                ref ReplicaInfo info = ref World.Get<ReplicaInfo>(Cluster.Replicas[part.FirstReplica + r].Entity);
                ReplicaInfo ran = run.World.Get<ReplicaInfo>(run.Cluster.Replicas[r].Entity);
                info.State = ran.State;
                info.BusyUntilS = ran.BusyUntilS;
                info.Iterations = ran.Iterations;
            }
            // The run ends with its last event, the latest of the groups'; each group counts its own steps.
            _clock.NowS = Math.Max(_clock.NowS, run.NowS);
            _clock.Steps += run.Steps;
            _clock.Done = true;
            _partitionsFastForwarded += run.FastForwardedIterations;
        }

        /// <summary>One group of replicas: which, the ids its requests have in the whole run, and its run.</summary>
        sealed class Partition
        {
            public Partition(int firstReplica, int replicas, bool takesUnserved, long expectedRequests)
            {
                FirstReplica = firstReplica;
                Replicas = replicas;
                TakesUnserved = takesUnserved;
                ExpectedRequests = expectedRequests;
                Ids = new List<long>((int)Math.Min(expectedRequests + 16, int.MaxValue / 16));
            }

            /// <summary>About how many requests are this group's: the workload's share of its replicas.</summary>
            public long ExpectedRequests { get; }

            public int FirstReplica { get; }

            public int Replicas { get; }

            public bool TakesUnserved { get; }

            public List<long> Ids { get; }

            public Simulation? Simulation { get; set; }

            /// <summary>Whether its records were copied to their places as it ended.</summary>
            public bool Placed { get; set; }

            public Exception? Error { get; set; }
        }

        /// <summary>The workload as the simulation was given it, and whether the run's options let it be partitioned.</summary>
        sealed class PartitionSource
        {
            public PartitionSource(IEnumerable<TraceRequest> requests, long expectedRequests, string name, IPerfModel? perfModel, bool partitionable)
            {
                Requests = requests;
                ExpectedRequests = expectedRequests;
                Name = name;
                PerfModel = perfModel;
                Partitionable = partitionable;
            }

            /// <summary>The perf model the run was given (shared by its groups), or null.</summary>
            public IPerfModel? PerfModel { get; }

            public IEnumerable<TraceRequest> Requests { get; }

            public long ExpectedRequests { get; }

            public string Name { get; }

            public bool Partitionable { get; }
        }
    }
}
