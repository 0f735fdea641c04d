using System;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        /// <summary>Attaches a component the entity lacks, moving it to the archetype with that component added.</summary>
        public void Add<T>(Entity entity, in T value)
        {
            ref EntityRecord record = ref Record(entity, "Add");
            Archetype source = record.Archetype!;
            int id = ComponentType<T>.Id;
            if (source.ColumnOf(id) >= 0)
            {
                throw new InvalidOperationException("Add<" + typeof(T).Name + "> on " + entity + ": the entity already has a " +
                                                    typeof(T).Name + "; use Set to overwrite it");
            }
            Archetype? target = source.AddEdge(id);
            if (target == null)
            {
                target = GetOrCreateArchetype(source.Set.With(id));
                source.SetAddEdge(id, target);
            }
            Move(entity, ref record, target);
            record.Chunk!.GetArray<T>(target.ColumnOf(id))[record.Row] = value;
        }

        /// <summary>Detaches a component, moving the entity to the archetype without it; the other values are kept.</summary>
        public void Remove<T>(Entity entity)
        {
            ref EntityRecord record = ref Record(entity, "Remove");
            Archetype source = record.Archetype!;
            int id = ComponentType<T>.Id;
            if (source.ColumnOf(id) < 0) throw MissingComponent(entity, typeof(T), "Remove");
            Move(entity, ref record, WithoutComponent(source, id));
        }

        Archetype WithoutComponent(Archetype source, int id)
        {
            Archetype? target = source.RemoveEdge(id);
            if (target == null)
            {
                target = GetOrCreateArchetype(source.Set.Without(id));
                source.SetRemoveEdge(id, target);
            }
            return target;
        }

        void Move(Entity entity, ref EntityRecord record, Archetype target)
        {
            Archetype source = record.Archetype!;
            ThrowIfVisited("Moving an entity", source);
            ThrowIfVisited("Moving an entity", target);
            Chunk sourceChunk = record.Chunk!;
            int sourceRow = record.Row;
            target.AddRow(entity, out Chunk chunk, out int row);
            source.CopyRowTo(sourceChunk, sourceRow, target, chunk, row);
            Entity moved = source.RemoveRow(sourceChunk, sourceRow);
            if (!moved.IsNull)
            {
                ref EntityRecord movedRecord = ref _records[moved.Id];
                movedRecord.Chunk = sourceChunk;
                movedRecord.Row = sourceRow;
            }
            record.Archetype = target;
            record.Chunk = chunk;
            record.Row = row;
        }
    }
}
