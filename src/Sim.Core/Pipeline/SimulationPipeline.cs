using System;
using System.Collections.Generic;
using Sim.Core.Ecs;
using Sim.Core.Systems;
using Sim.Core.Tokens;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// The whole step order in one table: each step visits one event time and runs these systems, phase by phase, in
    /// this order. A row whose condition the world does not meet (no KV transfers, no MoE, no prefix cache, no token
    /// store) is left out of this world's pipeline. docs/ARCHITECTURE.md shows the same table.
    /// </summary>
    public sealed class SimulationPipeline
    {
        /// <summary>One row: the phase, the system, and whether this world needs it.</summary>
        readonly struct StepRow
        {
            public StepRow(Phase phase, Func<World, ISystem> create, Func<World, bool>? needed = null)
            {
                Phase = phase;
                Create = create;
                Needed = needed;
            }

            public Phase Phase { get; }

            public Func<World, ISystem> Create { get; }

            public Func<World, bool>? Needed { get; }
        }

        static readonly StepRow[] Table =
        {
            new StepRow(Phase.Arrive, w => new ArriveSystem(w)),
            new StepRow(Phase.Route, w => new RouteSystem(w)),
            new StepRow(Phase.Route, w => new DecodeRouteSystem(w), Disaggregated),
            new StepRow(Phase.Schedule, w => new ScheduleSystem(w)),
            new StepRow(Phase.Execute, w => new ExecuteSystem(w)),
            new StepRow(Phase.Execute, w => new MoeCostSystem(w), HasMoe),
            new StepRow(Phase.Execute, w => new BatchEndSystem(w)),
            new StepRow(Phase.Execute, w => new ClockSystem(w)),
            new StepRow(Phase.Complete, w => new AttendSystem(w), w => w.TryGetResource(out TokenStore? _)),
            new StepRow(Phase.Complete, w => new PrefixIndexSystem(w), CachesPrefixes),
            new StepRow(Phase.Complete, w => new CollectReleasesSystem(w), CachesPrefixes),
            new StepRow(Phase.Complete, w => new HandOffSystem(w), Disaggregated),
            new StepRow(Phase.Complete, w => new CompleteSystem(w)),
            new StepRow(Phase.Complete, w => new ReleaseScoringSystem(w), CachesPrefixes),
            new StepRow(Phase.Record, w => new RecordSystem(w)),
        };

        readonly ISystem[] _systems;

        public SimulationPipeline(World world)
        {
            var systems = new List<ISystem>(Table.Length);
            RecordSystem? record = null;
            CompleteSystem? complete = null;
            var scheduleAndExecute = new List<ReplicaSystem>();
            var arriveAndRoute = new List<ISystem>();
            foreach (StepRow row in Table)
            {
                if (row.Needed != null && !row.Needed(world)) continue;
                ISystem system = row.Create(world);
                if (system.Phase != row.Phase)
                    throw new InvalidOperationException(system.GetType().Name + " runs in phase " + system.Phase + " but its row of the step table is in " + row.Phase);
                systems.Add(system);
                record ??= system as RecordSystem;
                complete ??= system as CompleteSystem;
                if (row.Phase == Phase.Arrive || row.Phase == Phase.Route) arriveAndRoute.Add(system);
                if (system is ReplicaSystem replicaSystem && (row.Phase == Phase.Schedule || row.Phase == Phase.Execute)) scheduleAndExecute.Add(replicaSystem);
            }
            _systems = systems.ToArray();
            Record = record ?? throw new InvalidOperationException("the step table has no record system");
            Complete = complete ?? throw new InvalidOperationException("the step table has no complete system");
            ScheduleAndExecute = scheduleAndExecute.ToArray();
            ArriveAndRoute = arriveAndRoute.ToArray();
        }

        /// <summary>The arrive and route phases' systems in step order, which the fast-forward runs at an arrival's step.</summary>
        internal ISystem[] ArriveAndRoute { get; }

        /// <summary>The schedule and execute phases' replica systems in step order, which the fast-forward runs for one replica.</summary>
        internal ReplicaSystem[] ScheduleAndExecute { get; }

        /// <summary>The complete phase, whose finish the fast-forward's lanes call for the requests they finish.</summary>
        internal CompleteSystem Complete { get; }

        /// <summary>The record phase, which the fast-forward's iterations go through too.</summary>
        internal RecordSystem Record { get; }

        /// <summary>This world's systems in step order.</summary>
        public IReadOnlyList<ISystem> Systems => _systems;

        public void Step()
        {
            foreach (ISystem system in _systems)
                system.Update();
        }

        static bool Disaggregated(World world) => world.TryGetResource(out KvTransfers? _);

        static bool HasMoe(World world)
        {
            foreach (ReplicaRuntime replica in world.GetResource<Cluster>().Replicas)
                if (replica.Moe != null) return true;
            return false;
        }

        static bool CachesPrefixes(World world)
        {
            foreach (ReplicaRuntime replica in world.GetResource<Cluster>().Replicas)
                if (replica.Kv.Prefix != null) return true;
            return false;
        }
    }
}
