using System;
using BenchmarkDotNet.Attributes;
using Sim.Core.Ecs;

namespace Sim.Bench
{
    /// <summary>ECS hot paths: per-entity cost of the two iteration styles, and of entity churn.</summary>
    [MemoryDiagnoser]
    public class EcsBenchmarks
    {
        const int IteratedEntities = 1_000_000;
        const int ChurnedEntities = 10_000;

        public struct Total
        {
            public double Value;
        }

        public struct Increment
        {
            public double Value;
        }

        struct AddIncrement : IForEach<Total, Increment>
        {
            public void Update(ref Total total, ref Increment increment) => total.Value += increment.Value;
        }

        static readonly QueryDescription Summed = new QueryDescription().WithAll<Total, Increment>();

        World _iterated = null!;
        World _churned = null!;
        Entity[] _churnedEntities = null!;

        [GlobalSetup]
        public void Setup()
        {
            _iterated = new World();
            for (int i = 0; i < IteratedEntities; i++) _iterated.Create(new Total(), new Increment { Value = i % 7 });
            _churned = new World();
            _churnedEntities = new Entity[ChurnedEntities];
            CreateDestroy(); // the archetype and its chunks exist before measuring, as in a running simulation
        }

        [Benchmark(OperationsPerInvoke = IteratedEntities)]
        public void InlineQuery()
        {
            var add = new AddIncrement();
            _iterated.InlineQuery<AddIncrement, Total, Increment>(in Summed, ref add);
        }

        [Benchmark(OperationsPerInvoke = IteratedEntities)]
        public void ChunkSpans()
        {
            foreach (Chunk chunk in _iterated.GetChunks(in Summed))
            {
                Span<Total> totals = chunk.GetSpan<Total>();
                Span<Increment> increments = chunk.GetSpan<Increment>();
                for (int i = 0; i < totals.Length; i++) totals[i].Value += increments[i].Value;
            }
        }

        [Benchmark(OperationsPerInvoke = ChurnedEntities)]
        public void CreateDestroy()
        {
            Entity[] entities = _churnedEntities;
            for (int i = 0; i < entities.Length; i++) entities[i] = _churned.Create(new Total { Value = i }, new Increment());
            for (int i = 0; i < entities.Length; i++) _churned.Destroy(entities[i]);
        }
    }
}
