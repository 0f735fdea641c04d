using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Entities, their components in archetype chunks, cached queries and named resources. Not thread-safe:
    /// one world belongs to one thread at a time. Structural changes (Create, Destroy, Add, Remove) are refused
    /// while a query iterates; record them in a <see cref="CommandBuffer"/> instead.
    /// </summary>
    public sealed partial class World
    {
        EntityRecord[] _records = new EntityRecord[256];
        int _recordCount;
        int[] _freeIds = new int[64];
        int _freeCount;
        readonly List<Archetype> _archetypes = new List<Archetype>();
        readonly Dictionary<ComponentSet, Archetype> _archetypeBySet = new Dictionary<ComponentSet, Archetype>();
        int _iterating;

        /// <summary>Alive entities.</summary>
        public int Size { get; private set; }

        /// <summary>Archetypes in creation order, which is the order queries visit them.</summary>
        public IReadOnlyList<Archetype> Archetypes => _archetypes;

        public bool IsAlive(Entity entity)
        {
            if ((uint)entity.Id >= (uint)_recordCount) return false;
            ref EntityRecord record = ref _records[entity.Id];
            return record.Version == entity.Version && record.Archetype != null;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ref T Get<T>(Entity entity)
        {
            ref EntityRecord record = ref Record(entity, "Get");
            T[]? column = record.Chunk!.ColumnOrNull<T>();
            if (column == null) throw MissingComponent(entity, typeof(T), "Get");
            return ref column[record.Row];
        }

        /// <summary>
        /// The chunk holding <paramref name="entity"/> and its row there: one lookup for code that reads several of the
        /// entity's components (<see cref="Chunk.Column{T}"/>). Valid until the entity's archetype changes structurally.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Chunk Locate(Entity entity, out int row)
        {
            ref EntityRecord record = ref Record(entity, "Locate");
            row = record.Row;
            return record.Chunk!;
        }

        /// <summary>Brings <paramref name="entity"/>'s record in ahead of a lookup (a hint: nothing is read or checked).</summary>
        internal void FetchRecord(Entity entity)
        {
            if ((uint)entity.Id < (uint)_recordCount) CacheHint.Fetch(_records, entity.Id);
        }

        public bool Has<T>(Entity entity) => Record(entity, "Has").Archetype!.ColumnOf(ComponentType<T>.Id) >= 0;

        /// <summary>Overwrites a component the entity already has; use <see cref="Add{T}"/> to attach a new one.</summary>
        public void Set<T>(Entity entity, in T value)
        {
            ref EntityRecord record = ref Record(entity, "Set");
            int column = record.Archetype!.ColumnOf(ComponentType<T>.Id);
            if (column < 0) throw MissingComponent(entity, typeof(T), "Set");
            record.Chunk!.GetArray<T>(column)[record.Row] = value;
        }

        /// <summary>The archetype an entity lives in.</summary>
        public Archetype GetArchetype(Entity entity) => Record(entity, "GetArchetype").Archetype!;

        public void Destroy(Entity entity)
        {
            ref EntityRecord record = ref Record(entity, "Destroy");
            ThrowIfVisited("Destroy", record.Archetype!);
            Entity moved = record.Archetype!.RemoveRow(record.Chunk!, record.Row);
            if (!moved.IsNull)
            {
                ref EntityRecord movedRecord = ref _records[moved.Id];
                movedRecord.Chunk = record.Chunk;
                movedRecord.Row = record.Row;
            }
            record.Archetype = null;
            record.Chunk = null;
            record.Row = 0;
            record.Version = record.Version == int.MaxValue ? 1 : record.Version + 1;
            if (_freeCount == _freeIds.Length) Array.Resize(ref _freeIds, _freeIds.Length * 2);
            _freeIds[_freeCount++] = entity.Id;
            Size--;
        }

        /// <summary>Takes a free id (most recently freed first, so reuse is deterministic) and gives it a row.</summary>
        Entity NewEntity(Archetype archetype, out Chunk chunk, out int row)
        {
            int id;
            if (_freeCount > 0)
            {
                id = _freeIds[--_freeCount];
            }
            else
            {
                if (_recordCount == _records.Length) GrowRecords();
                id = _recordCount++;
                _records[id].Version = 1;
            }
            ref EntityRecord record = ref _records[id];
            var entity = new Entity(id, record.Version);
            archetype.AddRow(entity, out chunk, out row);
            record.Archetype = archetype;
            record.Chunk = chunk;
            record.Row = row;
            Size++;
            return entity;
        }

        // Entity ids are handed out in order, so the records array is filled from where it was copied to: its pages are mapped at once.
        void GrowRecords()
        {
            EntityRecord[] records = PageHint.AllocateMapped<EntityRecord>(_records.Length * 2);
            Array.Copy(_records, records, _recordCount);
            _records = records;
        }

        Archetype GetOrCreateArchetype(in ComponentSet set)
        {
            if (_archetypeBySet.TryGetValue(set, out Archetype? archetype)) return archetype;
            archetype = new Archetype(set, _archetypes.Count);
            _archetypes.Add(archetype);
            _archetypeBySet.Add(set, archetype);
            return archetype;
        }

        /// <summary>The live record of <paramref name="entity"/>; throws for a stale or foreign handle.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        ref EntityRecord Record(Entity entity, string operation)
        {
            if ((uint)entity.Id >= (uint)_recordCount) throw Stale(entity, operation);
            ref EntityRecord record = ref _records[entity.Id];
            if (record.Version != entity.Version || record.Archetype == null) throw Stale(entity, operation);
            return ref record;
        }

        /// <summary>Refuses what reads or rewrites every archetype (snapshots) while any query iterates.</summary>
        void ThrowIfIterating(string operation)
        {
            if (_iterating > 0)
                throw new InvalidOperationException(operation + " reads every archetype and a query over this world is iterating; call it between queries");
        }

        /// <summary>Refuses a structural change to an archetype a query is iterating (its rows would move under the query).</summary>
        static void ThrowIfVisited(string operation, Archetype archetype)
        {
            if (archetype.Visitors > 0)
            {
                throw new InvalidOperationException(
                    operation + " is a structural change to [" + archetype.Describe() + "], which a query is iterating; record it in a " +
                    "CommandBuffer and call Playback(world) after the query finishes");
            }
        }

        InvalidOperationException Stale(Entity entity, string operation)
        {
            if (entity.IsNull) return new InvalidOperationException(operation + " on Entity.Null: no such entity");
            if ((uint)entity.Id >= (uint)_recordCount)
            {
                return new InvalidOperationException(
                    operation + " on " + entity + ": stale handle detected; no entity with that id was ever created in this world");
            }
            return new InvalidOperationException(
                operation + " on " + entity + ": stale handle detected; the entity was destroyed" +
                (_records[entity.Id].Archetype != null ? " and its id reused by version " + _records[entity.Id].Version : ""));
        }

        static InvalidOperationException MissingComponent(Entity entity, Type type, string operation) =>
            new InvalidOperationException(operation + "<" + type.Name + "> on " + entity + ": the entity has no " + type.Name +
                                          " component; Add<" + type.Name + "> attaches one");
    }
}
