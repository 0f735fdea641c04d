using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Typed operations on a column held as <see cref="Array"/>, so archetype moves and swap-removes can copy
    /// any component without boxing or reflection.
    /// </summary>
    internal abstract class ColumnOps
    {
        public abstract Array Create(int capacity, bool mapped);

        public abstract void Copy(Array source, int sourceRow, Array destination, int destinationRow);

        /// <summary>Resets a vacated row so it holds no stale references and a snapshot sees zeros.</summary>
        public abstract void Clear(Array column, int row);

        /// <summary><see cref="Copy"/> then <see cref="Clear"/> of the source row, in one call (a swap-remove's move of the last row).</summary>
        public abstract void Move(Array source, int sourceRow, Array destination, int destinationRow);

        /// <summary>Appends the first <paramref name="count"/> rows of <paramref name="column"/> to a snapshot.</summary>
        public abstract void Save(Array column, int count, SnapshotWriter writer);

        /// <summary>Reads <paramref name="count"/> rows from a snapshot into <paramref name="column"/>, zeroing the rows after them.</summary>
        public abstract void Load(Array column, int count, SnapshotReader reader);
    }

    internal sealed class ColumnOps<T> : ColumnOps
    {
        // A chunk's rows are written as they are added (every column of a created or moved row) and read only while live,
        // so a new column need not be zeroed first: the runtime then skips zeroing an array of a type without references.
        // A column is pinned, never copied as the collector promotes it.
        public override Array Create(int capacity, bool mapped) => mapped ? PageHint.AllocateMapped<T>(capacity) : PageHint.AllocatePinned<T>(capacity);

        public override void Copy(Array source, int sourceRow, Array destination, int destinationRow) =>
            ((T[])destination)[destinationRow] = ((T[])source)[sourceRow];

        public override void Clear(Array column, int row) => ((T[])column)[row] = default!;

        public override void Move(Array source, int sourceRow, Array destination, int destinationRow)
        {
            var from = (T[])source;
            ((T[])destination)[destinationRow] = from[sourceRow];
            from[sourceRow] = default!;
        }

        public override void Save(Array column, int count, SnapshotWriter writer) => writer.Write((T[])column, count);

        public override void Load(Array column, int count, SnapshotReader reader)
        {
            T[] rows = reader.Read<T[]>();
            if (rows.Length != count) throw new SnapshotException("a column of " + typeof(T).Name + " holds " + rows.Length + " rows, not " + count);
            var target = (T[])column;
            Array.Copy(rows, target, count);
            Array.Clear(target, count, target.Length - count);
        }
    }
}
