using System;
using System.Runtime.CompilerServices;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// A fixed-capacity block of rows of one archetype: one array (column) per component plus the entity column.
    /// Rows 0..Count-1 are live; the rest are never read (vacated rows are zeroed; rows never used may hold anything, as a
    /// column of a type without references is made unzeroed, and every column of a row is written as the row is added).
    /// </summary>
    public sealed class Chunk
    {
        internal Chunk(Archetype archetype, int capacity, int index)
        {
            Archetype = archetype;
            Index = index;
            // An archetype's later chunk is the growing end of a large one, its rows about to be written: its pages are mapped at
            // once. A first chunk is often one of a few rows, and its pages are mapped as they are touched.
            bool mapped = index > 0;
            EntityColumn = mapped ? PageHint.AllocateMapped<Entity>(capacity) : PageHint.AllocatePinned<Entity>(capacity);
            ReadOnlySpan<ComponentType> types = archetype.Types;
            Columns = new Array[types.Length];
            _columnById = new Array?[types.Length == 0 ? 0 : types[types.Length - 1].Id + 1];
            for (int i = 0; i < types.Length; i++) _columnById[types[i].Id] = Columns[i] = ComponentRegistry.Ops(types[i].Id).Create(capacity, mapped);
        }

        // The columns again, indexed by component id (null where the archetype lacks one): row access through a request's
        // or replica's chunk is the loop's most frequent lookup, and this makes it one array read instead of going through
        // the archetype's id-to-column table.
        readonly Array?[] _columnById;

        public Archetype Archetype { get; }

        /// <summary>This chunk's place in its archetype's list: its first row is the archetype's row <c>Index × Capacity</c>.</summary>
        public int Index { get; }

        public int Count { get; internal set; }

        public int Capacity => EntityColumn.Length;

        public ReadOnlySpan<Entity> Entities => new ReadOnlySpan<Entity>(EntityColumn, 0, Count);

        /// <summary>Raw entity column (length <see cref="Capacity"/>), for snapshots.</summary>
        internal Entity[] EntityColumn { get; }

        /// <summary>Raw component columns in the order of <see cref="Archetype.Types"/>, each a T[] of length <see cref="Capacity"/>.</summary>
        internal Array[] Columns { get; }

        public bool Has<T>() => Archetype.ColumnOf(ComponentType<T>.Id) >= 0;

        /// <summary>The live rows of component <typeparamref name="T"/>; throws when the archetype lacks it.</summary>
        public Span<T> GetSpan<T>() => new Span<T>(Column<T>(), 0, Count);

        /// <summary>The whole column of <typeparamref name="T"/> (length <see cref="Capacity"/>; rows past <see cref="Count"/> are unused), for row access after <see cref="World.Locate"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T[] Column<T>() => ColumnOrNull<T>() ?? GetArray<T>(Archetype.RequireColumn<T>()); // the archetype's lookup throws

        /// <summary>The whole column of <typeparamref name="T"/>; null when the archetype lacks it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal T[]? ColumnOrNull<T>()
        {
            int id = ComponentType<T>.Id;
            Array?[] byId = _columnById;
            return (uint)id < (uint)byId.Length ? (T[]?)byId[id] : null;
        }

        internal T[] GetArray<T>(int column) => (T[])Columns[column];
    }
}
