using System;
using System.Threading;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Holds the values of one kind of recorded command (for example Add&lt;KvPage&gt;) and applies one of them.
    /// A buffer keeps one store per kind and reuses it, so steady-state recording allocates nothing.
    /// </summary>
    internal abstract class CommandStore
    {
        public abstract void Apply(World world, Entity entity, int slot);

        public abstract void Clear();
    }

    /// <summary>Gives each store type a dense index into a buffer's store table.</summary>
    internal static class CommandStoreSlots
    {
        static int _next = -1;

        public static int Next() => Interlocked.Increment(ref _next);
    }

    internal static class CommandStoreSlot<TStore> where TStore : CommandStore
    {
        public static readonly int Index = CommandStoreSlots.Next();
    }

    /// <summary>A growable array of recorded values; cleared after playback so no reference outlives it.</summary>
    internal struct ValueList<T>
    {
        T[] _items;
        int _count;

        public int Add(in T value)
        {
            if (_items == null) _items = new T[8];
            else if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            _items[_count] = value;
            return _count++;
        }

        public ref T this[int slot] => ref _items[slot];

        public void Clear()
        {
            if (_count > 0) Array.Clear(_items, 0, _count);
            _count = 0;
        }
    }

    internal sealed class AddStore<T> : CommandStore
    {
        ValueList<T> _values;

        public int Record(in T value) => _values.Add(value);

        public override void Apply(World world, Entity entity, int slot) => world.Add(entity, in _values[slot]);

        public override void Clear() => _values.Clear();
    }

    internal sealed class SetStore<T> : CommandStore
    {
        ValueList<T> _values;

        public int Record(in T value) => _values.Add(value);

        public override void Apply(World world, Entity entity, int slot) => world.Set(entity, in _values[slot]);

        public override void Clear() => _values.Clear();
    }

    internal sealed class RemoveStore<T> : CommandStore
    {
        public override void Apply(World world, Entity entity, int slot) => world.Remove<T>(entity);

        public override void Clear()
        {
        }
    }

    internal sealed class CreateStore<T0> : CommandStore
    {
        ValueList<T0> _c0;

        public int Record(in T0 c0) => _c0.Add(c0);

        public override void Apply(World world, Entity entity, int slot) => world.Create(in _c0[slot]);

        public override void Clear() => _c0.Clear();
    }

    internal sealed class CreateStore<T0, T1> : CommandStore
    {
        ValueList<T0> _c0;
        ValueList<T1> _c1;

        public int Record(in T0 c0, in T1 c1)
        {
            _c1.Add(c1);
            return _c0.Add(c0);
        }

        public override void Apply(World world, Entity entity, int slot) => world.Create(in _c0[slot], in _c1[slot]);

        public override void Clear()
        {
            _c0.Clear();
            _c1.Clear();
        }
    }

    internal sealed class CreateStore<T0, T1, T2> : CommandStore
    {
        ValueList<T0> _c0;
        ValueList<T1> _c1;
        ValueList<T2> _c2;

        public int Record(in T0 c0, in T1 c1, in T2 c2)
        {
            _c1.Add(c1);
            _c2.Add(c2);
            return _c0.Add(c0);
        }

        public override void Apply(World world, Entity entity, int slot) => world.Create(in _c0[slot], in _c1[slot], in _c2[slot]);

        public override void Clear()
        {
            _c0.Clear();
            _c1.Clear();
            _c2.Clear();
        }
    }
}
