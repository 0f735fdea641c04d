using System;
using System.Runtime.CompilerServices;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// The <typeparamref name="T"/> components of entities created one after another into one archetype and never moved
    /// (permanent entities, such as a replica's KV pages), by their place in the run: a column read each instead of an
    /// entity lookup. Such entities sit at consecutive rows of their archetype, and rows keep their positions while nothing
    /// leaves the archetype (<see cref="Archetype.LayoutVersion"/>); so each use (<see cref="Columns"/>) compares that
    /// version, and only when it changed (a snapshot loaded) finds the rows again, checking that the run is still there.
    /// </summary>
    public sealed class EntityRun<T>
    {
        readonly World _world;
        readonly Entity[] _entities;
        Archetype? _archetype;
        int _layoutVersion;
        // The column of each chunk the run spans, from the first entity's; a chunk's column arrays are made with it and kept.
        T[][] _columns = Array.Empty<T[]>();
        int _firstRow;
        int _shift;

        /// <param name="entities">The run in creation order: at least one entity, each with a <typeparamref name="T"/>.</param>
        public EntityRun(World world, Entity[] entities)
        {
            if (entities.Length == 0) throw new ArgumentException("a run holds at least one entity", nameof(entities));
            _world = world;
            _entities = entities;
        }

        /// <summary>The run's columns for a span in which no entity of its archetype is destroyed or moved (one comparison).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RunColumns<T> Columns()
        {
            if (_archetype == null || _archetype.LayoutVersion != _layoutVersion) Locate();
            return new RunColumns<T>(_columns, _firstRow, _shift);
        }

        void Locate()
        {
            Chunk first = _world.Locate(_entities[0], out int firstRow);
            Archetype archetype = first.Archetype;
            int capacity = first.Capacity;
            int start = first.Index * capacity + firstRow;
            for (int i = 1; i < _entities.Length; i++)
            {
                Chunk chunk = _world.Locate(_entities[i], out int row);
                if (chunk.Archetype != archetype || chunk.Index * capacity + row != start + i)
                    throw new InvalidOperationException("entity " + i + " of a run of " + _entities.Length + " no longer follows the one before it in [" + archetype.Describe() + "]");
            }
            var columns = new T[(firstRow + _entities.Length + capacity - 1) / capacity][];
            for (int c = 0; c < columns.Length; c++) columns[c] = archetype.GetChunk(first.Index + c).Column<T>();
            int shift = 0;
            while (1 << shift < capacity) shift++;
            _columns = columns;
            _firstRow = firstRow;
            _shift = shift;
            _archetype = archetype;
            _layoutVersion = archetype.LayoutVersion;
        }
    }

    /// <summary>A run's columns (<see cref="EntityRun{T}"/>), valid for a span in which no entity of its archetype is destroyed or moved.</summary>
    public readonly struct RunColumns<T>
    {
        readonly T[][] _columns;
        readonly int _firstRow;
        // Chunk capacities are powers of two (Archetype.ChunkCapacity): a position's chunk is a shift, its row a mask.
        readonly int _shift;

        internal RunColumns(T[][] columns, int firstRow, int shift)
        {
            _columns = columns;
            _firstRow = firstRow;
            _shift = shift;
        }

        /// <summary>The component of the run's entity <paramref name="index"/>.</summary>
        public ref T this[int index]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                int position = _firstRow + index;
                return ref _columns[position >> _shift][position & ((1 << _shift) - 1)];
            }
        }
    }
}
