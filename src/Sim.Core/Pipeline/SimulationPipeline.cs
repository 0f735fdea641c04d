using Sim.Core.Ecs;
using Sim.Core.Metrics;
using Sim.Core.Systems;

namespace Sim.Core.Pipeline
{
    /// <summary>The whole step order in one place: each step visits one event time and runs these systems in this order.</summary>
    public sealed class SimulationPipeline
    {
        readonly ISystem[] _systems;

        public SimulationPipeline(World world, IIterationSink? sink, InvariantChecker? invariants)
        {
            _systems = new ISystem[]
            {
                new ArriveSystem(world),      // Phase.Arrive
                new RouteSystem(world),       // Phase.Route
                new ScheduleSystem(world),    // Phase.Schedule
                new ExecuteSystem(world),     // Phase.Execute: time each new batch...
                new ClockSystem(world),       // ...then move the clock to the next event
                new CompleteSystem(world),    // Phase.Complete
                new RecordSystem(world, sink, invariants), // Phase.Record
            };
        }

        public void Step()
        {
            foreach (ISystem system in _systems)
                system.Update();
        }
    }
}
