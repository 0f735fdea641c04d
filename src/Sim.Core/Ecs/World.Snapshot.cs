using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Ecs
{
    public sealed partial class World : ISnapshotState
    {
        /// <summary>
        /// Appends every entity and component to a snapshot: the entity table (versions, where each id lives), the free
        /// ids, and each archetype (named by its component types) with its rows. Resources are not included: their
        /// owners save them.
        /// </summary>
        public void Save(SnapshotWriter writer)
        {
            ThrowIfIterating("Save");
            var table = new int[_recordCount * 3];
            for (int id = 0; id < _recordCount; id++)
            {
                table[3 * id] = _records[id].Version;
                table[3 * id + 1] = -1;
            }
            foreach (Archetype archetype in _archetypes)
                for (int c = 0; c < archetype.ActiveChunkCount; c++)
                {
                    ReadOnlySpan<Entity> entities = archetype.GetChunk(c).Entities;
                    for (int row = 0; row < entities.Length; row++)
                    {
                        table[3 * entities[row].Id + 1] = archetype.Index;
                        table[3 * entities[row].Id + 2] = c * archetype.ChunkCapacity + row;
                    }
                }
            writer.Write(table);
            writer.Write(_freeIds, _freeCount);
            writer.Write(Size);
            writer.Write(_archetypes.Count);
            foreach (Archetype archetype in _archetypes)
            {
                writer.Write(archetype.TypeNames());
                archetype.Save(writer);
            }
        }

        /// <summary>
        /// Replaces every entity and component with a snapshot's. The snapshot's archetypes must be this world's first
        /// ones, in the same order (a world built the same way, e.g. from the same scene); those it lacks are
        /// created, and later ones of this world emptied. Rows are rewritten in place.
        /// </summary>
        public void Load(SnapshotReader reader)
        {
            ThrowIfIterating("Load");
            int[] table = reader.Read<int[]>();
            int[] freeIds = reader.Read<int[]>();
            int size = reader.Read<int>();
            int archetypeCount = reader.Read<int>();
            for (int index = 0; index < archetypeCount; index++)
            {
                ComponentSet set = SetOf(reader.Read<string[]>());
                Archetype archetype = index < _archetypes.Count ? _archetypes[index] : GetOrCreateArchetype(set);
                if (!archetype.Set.Equals(set) || archetype.Index != index)
                    throw new SnapshotException("archetype " + index + " is [" + archetype.Describe() + "] here but differs in the snapshot: it is of another scene");
                archetype.Load(reader);
            }
            // Archetypes made after the snapshot stay (queries and edges refer to them) but hold nothing.
            for (int index = archetypeCount; index < _archetypes.Count; index++) _archetypes[index].Empty();

            _recordCount = table.Length / 3;
            if (_records.Length < _recordCount) Array.Resize(ref _records, _recordCount);
            Array.Clear(_records, _recordCount, _records.Length - _recordCount);
            for (int id = 0; id < _recordCount; id++)
            {
                ref EntityRecord record = ref _records[id];
                record.Version = table[3 * id];
                int archetypeIndex = table[3 * id + 1], row = table[3 * id + 2];
                record.Archetype = archetypeIndex < 0 ? null : _archetypes[archetypeIndex];
                record.Chunk = archetypeIndex < 0 ? null : record.Archetype!.GetChunk(row / record.Archetype.ChunkCapacity);
                record.Row = archetypeIndex < 0 ? 0 : row % record.Archetype!.ChunkCapacity;
            }
            if (_freeIds.Length < freeIds.Length) _freeIds = new int[freeIds.Length];
            Array.Copy(freeIds, _freeIds, freeIds.Length);
            _freeCount = freeIds.Length;
            Size = size;
        }

        /// <summary>
        /// The component set an archetype of the snapshot names; every type must be registered in this process (a
        /// simulation registers its component types as it is built, see its snapshot schema).
        /// </summary>
        static ComponentSet SetOf(string[] typeNames)
        {
            var ids = new int[typeNames.Length];
            for (int i = 0; i < typeNames.Length; i++)
            {
                if (!ComponentRegistry.TryFind(typeNames[i], out ComponentType type))
                    throw new SnapshotException("the snapshot names component type " + typeNames[i] + ", which this build has not registered");
                ids[i] = type.Id;
            }
            Array.Sort(ids);
            return ComponentSet.Of(ids);
        }
    }
}
