using System;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        // Archetype of each Create signature (indexed by Signature<...>.Slot), filled on first use.
        Archetype?[] _archetypeBySignature = new Archetype?[16];

        public Entity Create<T0>(in T0 c0)
        {
            Archetype archetype = ArchetypeFor(Signature<T0>.Slot, in Signature<T0>.Set, 1);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            return entity;
        }

        public Entity Create<T0, T1>(in T0 c0, in T1 c1)
        {
            Archetype archetype = ArchetypeFor(Signature<T0, T1>.Slot, in Signature<T0, T1>.Set, 2);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            chunk.GetArray<T1>(archetype.ColumnOf(ComponentType<T1>.Id))[row] = c1;
            return entity;
        }

        public Entity Create<T0, T1, T2>(in T0 c0, in T1 c1, in T2 c2)
        {
            Archetype archetype = ArchetypeFor(Signature<T0, T1, T2>.Slot, in Signature<T0, T1, T2>.Set, 3);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            chunk.GetArray<T1>(archetype.ColumnOf(ComponentType<T1>.Id))[row] = c1;
            chunk.GetArray<T2>(archetype.ColumnOf(ComponentType<T2>.Id))[row] = c2;
            return entity;
        }

        public Entity Create<T0, T1, T2, T3>(in T0 c0, in T1 c1, in T2 c2, in T3 c3)
        {
            Archetype archetype = ArchetypeFor(Signature<T0, T1, T2, T3>.Slot, in Signature<T0, T1, T2, T3>.Set, 4);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            chunk.GetArray<T1>(archetype.ColumnOf(ComponentType<T1>.Id))[row] = c1;
            chunk.GetArray<T2>(archetype.ColumnOf(ComponentType<T2>.Id))[row] = c2;
            chunk.GetArray<T3>(archetype.ColumnOf(ComponentType<T3>.Id))[row] = c3;
            return entity;
        }

        public Entity Create<T0, T1, T2, T3, T4>(in T0 c0, in T1 c1, in T2 c2, in T3 c3, in T4 c4)
        {
            Archetype archetype = ArchetypeFor(Signature<T0, T1, T2, T3, T4>.Slot, in Signature<T0, T1, T2, T3, T4>.Set, 5);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            chunk.GetArray<T1>(archetype.ColumnOf(ComponentType<T1>.Id))[row] = c1;
            chunk.GetArray<T2>(archetype.ColumnOf(ComponentType<T2>.Id))[row] = c2;
            chunk.GetArray<T3>(archetype.ColumnOf(ComponentType<T3>.Id))[row] = c3;
            chunk.GetArray<T4>(archetype.ColumnOf(ComponentType<T4>.Id))[row] = c4;
            return entity;
        }

        public Entity Create<T0, T1, T2, T3, T4, T5>(in T0 c0, in T1 c1, in T2 c2, in T3 c3, in T4 c4, in T5 c5)
        {
            Archetype archetype = ArchetypeFor(Signature<T0, T1, T2, T3, T4, T5>.Slot, in Signature<T0, T1, T2, T3, T4, T5>.Set, 6);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            chunk.GetArray<T1>(archetype.ColumnOf(ComponentType<T1>.Id))[row] = c1;
            chunk.GetArray<T2>(archetype.ColumnOf(ComponentType<T2>.Id))[row] = c2;
            chunk.GetArray<T3>(archetype.ColumnOf(ComponentType<T3>.Id))[row] = c3;
            chunk.GetArray<T4>(archetype.ColumnOf(ComponentType<T4>.Id))[row] = c4;
            chunk.GetArray<T5>(archetype.ColumnOf(ComponentType<T5>.Id))[row] = c5;
            return entity;
        }

        public Entity Create<T0, T1, T2, T3, T4, T5, T6>(in T0 c0, in T1 c1, in T2 c2, in T3 c3, in T4 c4, in T5 c5, in T6 c6)
        {
            Archetype archetype = ArchetypeFor(Signature<T0, T1, T2, T3, T4, T5, T6>.Slot, in Signature<T0, T1, T2, T3, T4, T5, T6>.Set, 7);
            ThrowIfVisited("Create", archetype);
            Entity entity = NewEntity(archetype, out Chunk chunk, out int row);
            chunk.GetArray<T0>(archetype.ColumnOf(ComponentType<T0>.Id))[row] = c0;
            chunk.GetArray<T1>(archetype.ColumnOf(ComponentType<T1>.Id))[row] = c1;
            chunk.GetArray<T2>(archetype.ColumnOf(ComponentType<T2>.Id))[row] = c2;
            chunk.GetArray<T3>(archetype.ColumnOf(ComponentType<T3>.Id))[row] = c3;
            chunk.GetArray<T4>(archetype.ColumnOf(ComponentType<T4>.Id))[row] = c4;
            chunk.GetArray<T5>(archetype.ColumnOf(ComponentType<T5>.Id))[row] = c5;
            chunk.GetArray<T6>(archetype.ColumnOf(ComponentType<T6>.Id))[row] = c6;
            return entity;
        }

        /// <summary>
        /// The archetype that <c>Create</c> with these six component types fills (made now if it is new): where a producer's
        /// newest rows are, appended in creation order.
        /// </summary>
        public Archetype ArchetypeOf<T0, T1, T2, T3, T4, T5>() =>
            ArchetypeFor(Signature<T0, T1, T2, T3, T4, T5>.Slot, in Signature<T0, T1, T2, T3, T4, T5>.Set, 6);

        Archetype ArchetypeFor(int signatureSlot, in ComponentSet set, int arity)
        {
            if (signatureSlot < _archetypeBySignature.Length)
            {
                Archetype? cached = _archetypeBySignature[signatureSlot];
                if (cached != null) return cached;
            }
            if (set.Count != arity) throw new InvalidOperationException("Create: a component type appears twice; an entity holds at most one of each type");
            if (signatureSlot >= _archetypeBySignature.Length)
            {
                Array.Resize(ref _archetypeBySignature, Math.Max(signatureSlot + 1, _archetypeBySignature.Length * 2));
            }
            return _archetypeBySignature[signatureSlot] = GetOrCreateArchetype(in set);
        }
    }
}
