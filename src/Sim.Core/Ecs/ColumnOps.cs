using System;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Typed operations on a column held as <see cref="Array"/>, so archetype moves and swap-removes can copy
    /// any component without boxing or reflection.
    /// </summary>
    internal abstract class ColumnOps
    {
        public abstract Array Create(int capacity);

        public abstract void Copy(Array source, int sourceRow, Array destination, int destinationRow);

        /// <summary>Resets a vacated row so it holds no stale references and a snapshot sees zeros.</summary>
        public abstract void Clear(Array column, int row);
    }

    internal sealed class ColumnOps<T> : ColumnOps
    {
        public override Array Create(int capacity) => new T[capacity];

        public override void Copy(Array source, int sourceRow, Array destination, int destinationRow) =>
            ((T[])destination)[destinationRow] = ((T[])source)[sourceRow];

        public override void Clear(Array column, int row) => ((T[])column)[row] = default!;
    }
}
