using System;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Pipeline
{
    /// <summary>A ring-buffer queue of entities that can also push at the front (preempted requests rejoin first).</summary>
    public sealed class EntityDeque : ISnapshotState
    {
        Entity[] _items;
        int _head;

        public EntityDeque(int capacity = 16)
        {
            _items = new Entity[Math.Max(4, capacity)];
        }

        public int Count { get; private set; }

        /// <summary>The items in queue order (front first); loading puts them back from the start of the ring.</summary>
        void ISnapshotState.Save(SnapshotWriter writer)
        {
            var items = new Entity[Count];
            for (int i = 0; i < items.Length; i++) items[i] = this[i];
            writer.Write(items);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            Entity[] items = reader.Read<Entity[]>();
            if (_items.Length < items.Length) _items = new Entity[items.Length];
            Array.Copy(items, _items, items.Length);
            _head = 0;
            Count = items.Length;
        }

        public Entity this[int index] => _items[(_head + index) % _items.Length];

        public Entity PeekFront() => Count > 0 ? _items[_head] : throw new InvalidOperationException("the queue is empty");

        public Entity PopFront()
        {
            Entity item = PeekFront();
            _head = (_head + 1) % _items.Length;
            Count--;
            return item;
        }

        public void PushBack(Entity item)
        {
            if (Count == _items.Length) Grow();
            _items[(_head + Count) % _items.Length] = item;
            Count++;
        }

        public void PushFront(Entity item)
        {
            if (Count == _items.Length) Grow();
            _head = (_head - 1 + _items.Length) % _items.Length;
            _items[_head] = item;
            Count++;
        }

        /// <summary>Moves the item at <paramref name="index"/> to the front, keeping the others in order.</summary>
        public void MoveToFront(int index)
        {
            if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index));
            Entity item = this[index];
            for (int i = index; i > 0; i--) _items[(_head + i) % _items.Length] = this[i - 1];
            _items[_head] = item;
        }

        void Grow()
        {
            var bigger = new Entity[_items.Length * 2];
            for (int i = 0; i < Count; i++) bigger[i] = this[i];
            _items = bigger;
            _head = 0;
        }
    }
}
