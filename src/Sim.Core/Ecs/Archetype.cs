using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// All entities with exactly one set of component types, stored densely in chunks: every chunk but the last
    /// non-empty one is full, so a row's position is its index in the archetype. Empty chunks are kept for reuse.
    /// </summary>
    public sealed class Archetype
    {
        // Large chunks: a growing archetype (an overloaded run's waiting requests, 176-byte rows) allocates and first
        // touches a chunk every 1,024 rows rather than every 64, fewer and larger allocations of the same bytes.
        const int TargetChunkBytes = 256 * 1024;
        const int MinChunkRows = 64;

        readonly ComponentType[] _types;
        readonly ColumnOps[] _ops;
        readonly int[] _columnOfId;
        // log2 of ChunkCapacity: a row's chunk is a shift of its position, not a division (chunk walks and row moves each step).
        readonly int _chunkShift;
        Chunk[] _chunks = new Chunk[1];
        Archetype?[] _addEdges = Array.Empty<Archetype?>();
        Archetype?[] _removeEdges = Array.Empty<Archetype?>();

        /// <summary>Queries iterating this archetype now; while any is, its rows must not move.</summary>
        internal int Visitors;

        internal Archetype(in ComponentSet set, int index)
        {
            Set = set;
            Index = index;
            int[] ids = set.ToIds();
            _types = new ComponentType[ids.Length];
            _ops = new ColumnOps[ids.Length];
            _columnOfId = new int[ids.Length == 0 ? 0 : ids[ids.Length - 1] + 1];
            for (int i = 0; i < _columnOfId.Length; i++) _columnOfId[i] = -1;
            int rowBytes = 8; // the entity column
            for (int i = 0; i < ids.Length; i++)
            {
                _types[i] = ComponentRegistry.Type(ids[i]);
                _ops[i] = ComponentRegistry.Ops(ids[i]);
                _columnOfId[ids[i]] = i;
                rowBytes += _types[i].SizeBytes;
            }
            // A power of two, so a row's chunk and place in it are a shift and a mask of its position (EntityRun).
            int capacity = MinChunkRows;
            while (capacity * 2 * rowBytes <= TargetChunkBytes) capacity *= 2;
            ChunkCapacity = capacity;
            while (1 << _chunkShift < capacity) _chunkShift++;
        }

        /// <summary>Position in the world's archetype list (creation order).</summary>
        public int Index { get; }

        /// <summary>Component types ordered by id; column i of every chunk holds Types[i].</summary>
        public ReadOnlySpan<ComponentType> Types => _types;

        public int EntityCount { get; private set; }

        /// <summary>Rows a chunk holds: a power of two, at least 64, as many as fit in 256 KiB.</summary>
        public int ChunkCapacity { get; }

        /// <summary>Chunks holding at least one entity; they come first.</summary>
        public int ActiveChunkCount => (EntityCount + ChunkCapacity - 1) >> _chunkShift;

        /// <summary>Chunks allocated, including empty ones kept for reuse.</summary>
        public int ChunkCount { get; private set; }

        /// <summary>
        /// Changes whenever a row leaves this archetype (and another may move into its place) or the rows are reloaded: while
        /// it stays the same, rows are only appended, so every entity keeps its position (<see cref="EntityRun{T}"/>).
        /// </summary>
        public int LayoutVersion { get; private set; }

        internal ComponentSet Set { get; }

        public Chunk GetChunk(int index)
        {
            if ((uint)index >= (uint)ChunkCount) throw new ArgumentOutOfRangeException(nameof(index));
            return _chunks[index];
        }

        public bool Has<T>() => ColumnOf(ComponentType<T>.Id) >= 0;

        /// <summary>Column index of a component id in this archetype's chunks; -1 when absent.</summary>
        internal int ColumnOf(int componentId) =>
            (uint)componentId < (uint)_columnOfId.Length ? _columnOfId[componentId] : -1;

        internal int RequireColumn<T>()
        {
            int column = ColumnOf(ComponentType<T>.Id);
            if (column < 0) throw Missing(typeof(T));
            return column;
        }

        InvalidOperationException Missing(Type type) => new InvalidOperationException(
            "archetype [" + Describe() + "] has no " + type.Name + " column; add " + type.Name +
            " to the query's WithAll so only archetypes that have it are visited");

        /// <summary>Appends a row for <paramref name="entity"/>; the caller writes every one of its component cells (they may hold anything until then).</summary>
        internal void AddRow(Entity entity, out Chunk chunk, out int row)
        {
            chunk = TailChunk();
            row = chunk.Count++;
            chunk.EntityColumn[row] = entity;
            EntityCount++;
        }

        /// <summary>The chunk the next row is appended to, added when the last one is full.</summary>
        Chunk TailChunk()
        {
            int chunkIndex = EntityCount >> _chunkShift;
            if (chunkIndex == ChunkCount)
            {
                if (ChunkCount == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
                _chunks[ChunkCount] = new Chunk(this, ChunkCapacity, ChunkCount);
                ChunkCount++;
            }
            return _chunks[chunkIndex];
        }

        /// <summary>
        /// Removes a row by moving the archetype's last row into it. Returns the entity that now sits at
        /// (<paramref name="chunk"/>, <paramref name="row"/>) so its record can be updated, or <see cref="Entity.Null"/>
        /// when the removed row was the last one.
        /// </summary>
        internal Entity RemoveRow(Chunk chunk, int row)
        {
            LayoutVersion++;
            int last = EntityCount - 1;
            Chunk lastChunk = _chunks[last >> _chunkShift];
            int lastRow = lastChunk.Count - 1;
            Entity moved = Entity.Null;
            if (lastChunk != chunk || lastRow != row)
            {
                moved = lastChunk.EntityColumn[lastRow];
                chunk.EntityColumn[row] = moved;
                for (int c = 0; c < _ops.Length; c++) _ops[c].Move(lastChunk.Columns[c], lastRow, chunk.Columns[c], row);
            }
            else
            {
                for (int c = 0; c < _ops.Length; c++) _ops[c].Clear(lastChunk.Columns[c], lastRow);
            }
            lastChunk.EntityColumn[lastRow] = Entity.Null;
            lastChunk.Count--;
            EntityCount--;
            return moved;
        }

        /// <summary>Appends the live rows (entities, then each column, chunk by chunk) to a snapshot.</summary>
        internal void Save(SnapshotWriter writer)
        {
            writer.Write(EntityCount);
            for (int c = 0; c < ActiveChunkCount; c++)
            {
                Chunk chunk = _chunks[c];
                writer.Write(chunk.EntityColumn, chunk.Count);
                for (int column = 0; column < _ops.Length; column++) _ops[column].Save(chunk.Columns[column], chunk.Count, writer);
            }
        }

        /// <summary>Replaces every row with a snapshot's, in place: existing chunks are refilled (so column arrays held elsewhere stay valid), more are added as needed, the rest emptied.</summary>
        internal void Load(SnapshotReader reader) => Refill(reader.Read<int>(), reader);

        /// <summary>Removes every row (a snapshot older than this archetype had none of it).</summary>
        internal void Empty() => Refill(0, null);

        void Refill(int count, SnapshotReader? reader)
        {
            LayoutVersion++;
            int chunksNeeded = (count + ChunkCapacity - 1) / ChunkCapacity;
            while (ChunkCount < chunksNeeded)
            {
                if (ChunkCount == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
                _chunks[ChunkCount] = new Chunk(this, ChunkCapacity, ChunkCount);
                ChunkCount++;
            }
            for (int c = 0; c < ChunkCount; c++)
            {
                Chunk chunk = _chunks[c];
                int rows = c < chunksNeeded ? Math.Min(ChunkCapacity, count - c * ChunkCapacity) : 0;
                if (rows > 0)
                {
                    Entity[] entities = reader!.Read<Entity[]>();
                    if (entities.Length != rows) throw new SnapshotException("an archetype chunk holds " + entities.Length + " entities, not " + rows);
                    Array.Copy(entities, chunk.EntityColumn, rows);
                }
                Array.Clear(chunk.EntityColumn, rows, chunk.Capacity - rows);
                for (int column = 0; column < _ops.Length; column++)
                {
                    if (rows > 0) _ops[column].Load(chunk.Columns[column], rows, reader!);
                    else Array.Clear(chunk.Columns[column], 0, chunk.Capacity);
                }
                chunk.Count = rows;
            }
            EntityCount = count;
        }

        /// <summary>The CLR types of the columns, by assembly-qualified name: how a snapshot names an archetype across processes.</summary>
        internal string[] TypeNames()
        {
            var names = new string[_types.Length];
            for (int i = 0; i < names.Length; i++) names[i] = _types[i].Type.AssemblyQualifiedName!;
            return names;
        }

        /// <summary>Copies every component this archetype shares with the destination into its row.</summary>
        internal void CopyRowTo(Chunk chunk, int row, Archetype destination, Chunk destinationChunk, int destinationRow)
        {
            for (int c = 0; c < _types.Length; c++)
            {
                int target = destination.ColumnOf(_types[c].Id);
                if (target >= 0) _ops[c].Copy(chunk.Columns[c], row, destinationChunk.Columns[target], destinationRow);
            }
        }

        internal Archetype? AddEdge(int componentId) => componentId < _addEdges.Length ? _addEdges[componentId] : null;

        internal Archetype? RemoveEdge(int componentId) => componentId < _removeEdges.Length ? _removeEdges[componentId] : null;

        internal void SetAddEdge(int componentId, Archetype target) => SetEdge(ref _addEdges, componentId, target);

        internal void SetRemoveEdge(int componentId, Archetype target) => SetEdge(ref _removeEdges, componentId, target);

        static void SetEdge(ref Archetype?[] edges, int componentId, Archetype target)
        {
            if (componentId >= edges.Length) Array.Resize(ref edges, componentId + 1);
            edges[componentId] = target;
        }

        internal string Describe()
        {
            var names = new string[_types.Length];
            for (int i = 0; i < names.Length; i++) names[i] = _types[i].Type.Name;
            return string.Join(", ", names);
        }

        public override string ToString() => "Archetype[" + Describe() + "] " + EntityCount + " entities";
    }
}
