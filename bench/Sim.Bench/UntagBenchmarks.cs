using BenchmarkDotNet.Attributes;
using Sim.Core.Ecs;

namespace Sim.Bench
{
    /// <summary>
    /// Removing a tag from a step's few tagged entities, as routing drops <c>Arrived</c> from the requests that arrived:
    /// one structural change an entity through a command buffer, or all at once. Each operation also creates the tagged
    /// entities and destroys them after, the same work on both sides (<c>EcsBenchmarks.CreateDestroy</c> prices it).
    /// </summary>
    [MemoryDiagnoser]
    public class UntagBenchmarks
    {
        public struct Value
        {
            public double Number;
        }

        public struct Other
        {
            public long Number;
        }

        public struct Tag
        {
        }

        static readonly QueryDescription TaggedQuery = new QueryDescription().WithAll<Tag>();

        readonly World _world = new World();
        readonly CommandBuffer _untag = new CommandBuffer();
        readonly Entity[] _made = new Entity[64];
        ChunkEnumerable _tagged;

        /// <summary>Entities tagged and untagged a step.</summary>
        [Params(1, 16)]
        public int Entities { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _tagged = _world.GetChunks(in TaggedQuery);
            UntagEach(); // both archetypes and their chunks exist before measuring, as in a running simulation
        }

        [Benchmark(Baseline = true)]
        public void UntagEach()
        {
            Make();
            foreach (Chunk chunk in _tagged)
                foreach (Entity entity in chunk.Entities) _untag.Remove<Tag>(entity);
            _untag.Playback(_world);
            Destroy();
        }

        [Benchmark]
        public void UntagAll()
        {
            Make();
            _world.RemoveFromAll<Tag>(_tagged);
            Destroy();
        }

        void Make()
        {
            for (int i = 0; i < Entities; i++) _made[i] = _world.Create(new Value { Number = i }, new Other { Number = i }, new Tag());
        }

        void Destroy()
        {
            for (int i = 0; i < Entities; i++) _world.Destroy(_made[i]);
        }
    }
}
