using System;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        public void InlineQuery<TForEach, T0>(in QueryDescription description, ref TForEach forEach)
            where TForEach : struct, IForEach<T0>
        {
            Query query = BeginIteration(in description, out int visiting);
            try
            {
                for (int a = 0; a < visiting; a++)
                {
                    Archetype archetype = query[a];
                    int column0 = archetype.RequireColumn<T0>();
                    for (int k = 0, chunks = archetype.ActiveChunkCount; k < chunks; k++)
                    {
                        Chunk chunk = archetype.GetChunk(k);
                        int count = chunk.Count;
                        var c0 = new Span<T0>(chunk.GetArray<T0>(column0), 0, count);
                        for (int row = 0; row < c0.Length; row++) forEach.Update(ref c0[row]);
                    }
                }
            }
            finally
            {
                EndIteration(query, visiting);
            }
        }

        public void InlineQuery<TForEach, T0, T1>(in QueryDescription description, ref TForEach forEach)
            where TForEach : struct, IForEach<T0, T1>
        {
            Query query = BeginIteration(in description, out int visiting);
            try
            {
                for (int a = 0; a < visiting; a++)
                {
                    Archetype archetype = query[a];
                    int column0 = archetype.RequireColumn<T0>();
                    int column1 = archetype.RequireColumn<T1>();
                    for (int k = 0, chunks = archetype.ActiveChunkCount; k < chunks; k++)
                    {
                        Chunk chunk = archetype.GetChunk(k);
                        int count = chunk.Count;
                        var c0 = new Span<T0>(chunk.GetArray<T0>(column0), 0, count);
                        var c1 = new Span<T1>(chunk.GetArray<T1>(column1), 0, count);
                        for (int row = 0; row < c0.Length; row++) forEach.Update(ref c0[row], ref c1[row]);
                    }
                }
            }
            finally
            {
                EndIteration(query, visiting);
            }
        }

        public void InlineQuery<TForEach, T0, T1, T2>(in QueryDescription description, ref TForEach forEach)
            where TForEach : struct, IForEach<T0, T1, T2>
        {
            Query query = BeginIteration(in description, out int visiting);
            try
            {
                for (int a = 0; a < visiting; a++)
                {
                    Archetype archetype = query[a];
                    int column0 = archetype.RequireColumn<T0>();
                    int column1 = archetype.RequireColumn<T1>();
                    int column2 = archetype.RequireColumn<T2>();
                    for (int k = 0, chunks = archetype.ActiveChunkCount; k < chunks; k++)
                    {
                        Chunk chunk = archetype.GetChunk(k);
                        int count = chunk.Count;
                        var c0 = new Span<T0>(chunk.GetArray<T0>(column0), 0, count);
                        var c1 = new Span<T1>(chunk.GetArray<T1>(column1), 0, count);
                        var c2 = new Span<T2>(chunk.GetArray<T2>(column2), 0, count);
                        for (int row = 0; row < c0.Length; row++) forEach.Update(ref c0[row], ref c1[row], ref c2[row]);
                    }
                }
            }
            finally
            {
                EndIteration(query, visiting);
            }
        }

        public void InlineEntityQuery<TForEach, T0>(in QueryDescription description, ref TForEach forEach)
            where TForEach : struct, IForEachWithEntity<T0>
        {
            Query query = BeginIteration(in description, out int visiting);
            try
            {
                for (int a = 0; a < visiting; a++)
                {
                    Archetype archetype = query[a];
                    int column0 = archetype.RequireColumn<T0>();
                    for (int k = 0, chunks = archetype.ActiveChunkCount; k < chunks; k++)
                    {
                        Chunk chunk = archetype.GetChunk(k);
                        int count = chunk.Count;
                        var entities = new ReadOnlySpan<Entity>(chunk.EntityColumn, 0, count);
                        var c0 = new Span<T0>(chunk.GetArray<T0>(column0), 0, count);
                        for (int row = 0; row < c0.Length; row++) forEach.Update(entities[row], ref c0[row]);
                    }
                }
            }
            finally
            {
                EndIteration(query, visiting);
            }
        }

        public void InlineEntityQuery<TForEach, T0, T1>(in QueryDescription description, ref TForEach forEach)
            where TForEach : struct, IForEachWithEntity<T0, T1>
        {
            Query query = BeginIteration(in description, out int visiting);
            try
            {
                for (int a = 0; a < visiting; a++)
                {
                    Archetype archetype = query[a];
                    int column0 = archetype.RequireColumn<T0>();
                    int column1 = archetype.RequireColumn<T1>();
                    for (int k = 0, chunks = archetype.ActiveChunkCount; k < chunks; k++)
                    {
                        Chunk chunk = archetype.GetChunk(k);
                        int count = chunk.Count;
                        var entities = new ReadOnlySpan<Entity>(chunk.EntityColumn, 0, count);
                        var c0 = new Span<T0>(chunk.GetArray<T0>(column0), 0, count);
                        var c1 = new Span<T1>(chunk.GetArray<T1>(column1), 0, count);
                        for (int row = 0; row < c0.Length; row++) forEach.Update(entities[row], ref c0[row], ref c1[row]);
                    }
                }
            }
            finally
            {
                EndIteration(query, visiting);
            }
        }

        public void InlineEntityQuery<TForEach, T0, T1, T2>(in QueryDescription description, ref TForEach forEach)
            where TForEach : struct, IForEachWithEntity<T0, T1, T2>
        {
            Query query = BeginIteration(in description, out int visiting);
            try
            {
                for (int a = 0; a < visiting; a++)
                {
                    Archetype archetype = query[a];
                    int column0 = archetype.RequireColumn<T0>();
                    int column1 = archetype.RequireColumn<T1>();
                    int column2 = archetype.RequireColumn<T2>();
                    for (int k = 0, chunks = archetype.ActiveChunkCount; k < chunks; k++)
                    {
                        Chunk chunk = archetype.GetChunk(k);
                        int count = chunk.Count;
                        var entities = new ReadOnlySpan<Entity>(chunk.EntityColumn, 0, count);
                        var c0 = new Span<T0>(chunk.GetArray<T0>(column0), 0, count);
                        var c1 = new Span<T1>(chunk.GetArray<T1>(column1), 0, count);
                        var c2 = new Span<T2>(chunk.GetArray<T2>(column2), 0, count);
                        for (int row = 0; row < c0.Length; row++) forEach.Update(entities[row], ref c0[row], ref c1[row], ref c2[row]);
                    }
                }
            }
            finally
            {
                EndIteration(query, visiting);
            }
        }
    }
}
