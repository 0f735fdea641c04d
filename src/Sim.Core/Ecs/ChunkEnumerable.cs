using System;

namespace Sim.Core.Ecs
{
    /// <summary>The chunks a query visits; a struct so <c>foreach</c> over it allocates nothing.</summary>
    public readonly struct ChunkEnumerable
    {
        readonly World _world;
        readonly Query _query;

        internal ChunkEnumerable(World world, Query query)
        {
            _world = world;
            _query = query;
        }

        /// <summary>The matching archetypes.</summary>
        internal Query Query => _query;

        /// <summary>Entities in the query's archetypes now: a sum over them, no iteration begun (a system can skip an empty query).</summary>
        public int EntityCount => _world.CountEntities(_query);

        /// <summary>Starts iterating: the world refuses structural changes to the visited archetypes until the enumerator is disposed.</summary>
        public ChunkEnumerator GetEnumerator() => new ChunkEnumerator(_world, _world.BeginIteration(_query, out int visiting), visiting);
    }

    /// <summary>Walks the non-empty chunks of each matching archetype in archetype creation order.</summary>
    public struct ChunkEnumerator : IDisposable
    {
        readonly World _world;
        readonly Query _query;
        readonly int _visiting;
        int _archetype;
        int _chunk;
        bool _disposed;

        internal ChunkEnumerator(World world, Query query, int visiting)
        {
            _world = world;
            _query = query;
            _visiting = visiting;
            _archetype = 0;
            _chunk = -1;
            _disposed = false;
            Current = null!;
        }

        public Chunk Current { get; private set; }

        public bool MoveNext()
        {
            while (_archetype < _visiting)
            {
                Archetype archetype = _query[_archetype];
                if (++_chunk < archetype.ActiveChunkCount)
                {
                    Current = archetype.GetChunk(_chunk);
                    return true;
                }
                _archetype++;
                _chunk = -1;
            }
            return false;
        }

        /// <summary>Ends the iteration; foreach calls it on every exit path because this type is IDisposable.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _world.EndIteration(_query, _visiting);
        }
    }
}
