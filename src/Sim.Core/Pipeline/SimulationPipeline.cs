using System.Collections.Generic;
using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Systems;
using Sim.Core.Tokens;

namespace Sim.Core.Pipeline
{
    /// <summary>The whole step order in one place: each step visits one event time and runs these systems in this order.</summary>
    public sealed class SimulationPipeline
    {
        readonly ISystem[] _systems;

        public SimulationPipeline(World world, IIterationSink? sink, InvariantChecker? invariants)
        {
            var systems = new List<ISystem>
            {
                new ArriveSystem(world),      // Phase.Arrive
                new RouteSystem(world),       // Phase.Route
            };
            if (world.TryGetResource(out KvTransfers? _))
                systems.Add(new HandoffSystem(world)); // Phase.Route: prefilled requests reach the decode pool
            systems.Add(new ScheduleSystem(world));    // Phase.Schedule
            systems.Add(new ExecuteSystem(world));     // Phase.Execute: time each new batch...
            systems.Add(new ClockSystem(world));       // ...then move the clock to the next event
            if (world.TryGetResource(out TokenStore? _))
                systems.Add(new AttendSystem(world));  // Phase.Complete: token mode's attention and eviction first
            systems.Add(new CompleteSystem(world));    // Phase.Complete
            Record = new RecordSystem(world, sink, invariants);
            systems.Add(Record);                       // Phase.Record
            _systems = systems.ToArray();
        }

        /// <summary>The record phase, which the fast-forward's iterations go through too.</summary>
        internal RecordSystem Record { get; }

        public void Step()
        {
            foreach (ISystem system in _systems)
                system.Update();
        }
    }
}
