using System;
using Sim.Core.Snapshots;

namespace Sim.Core.Kv
{
    /// <summary>
    /// A map from nonzero 64-bit content keys to slots: open addressing with linear probing and backward-shift
    /// deletion. One probe sequence in one array per lookup, where <c>Dictionary</c> takes two dependent reads;
    /// the prefix cache does several lookups per KV page, so this is its hot path. Keys are already well-mixed
    /// hashes, so their low bits index the table directly.
    /// </summary>
    internal sealed class KeyIndex : ISnapshotState
    {
        ulong[] _keys = new ulong[64];
        int[] _values = new int[64];
        int _mask = 63;

        public int Count { get; private set; }

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_keys);
            writer.Write(_values);
            writer.Write(_mask);
            writer.Write(Count);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _keys = reader.Read<ulong[]>();
            _values = reader.Read<int[]>();
            _mask = reader.Read<int>();
            Count = reader.Read<int>();
        }

        public bool TryGetValue(ulong key, out int value)
        {
            for (int i = (int)key & _mask; ; i = (i + 1) & _mask)
            {
                ulong found = _keys[i];
                if (found == key)
                {
                    value = _values[i];
                    return true;
                }
                if (found == 0)
                {
                    value = 0;
                    return false;
                }
            }
        }

        public bool ContainsKey(ulong key) => TryGetValue(key, out _);

        /// <summary>Adds <paramref name="key"/>; false, changing nothing, when it is already there.</summary>
        public bool TryAdd(ulong key, int value)
        {
            if (key == 0) throw new ArgumentOutOfRangeException(nameof(key), "0 marks an empty slot");
            if ((Count + 1) * 2 > _keys.Length) Grow();
            int i = (int)key & _mask;
            for (; _keys[i] != 0; i = (i + 1) & _mask)
                if (_keys[i] == key) return false;
            _keys[i] = key;
            _values[i] = value;
            Count++;
            return true;
        }

        public void Add(ulong key, int value)
        {
            if (!TryAdd(key, value)) throw new ArgumentException("key already present", nameof(key));
        }

        public bool Remove(ulong key)
        {
            int i = (int)key & _mask;
            for (; _keys[i] != key; i = (i + 1) & _mask)
                if (_keys[i] == 0) return false;
            // Backward shift: pull later entries of the probe run into the hole unless they sit before their home.
            for (int j = (i + 1) & _mask; _keys[j] != 0; j = (j + 1) & _mask)
            {
                int home = (int)_keys[j] & _mask;
                if (((j - home) & _mask) < ((j - i) & _mask)) continue;
                _keys[i] = _keys[j];
                _values[i] = _values[j];
                i = j;
            }
            _keys[i] = 0;
            Count--;
            return true;
        }

        /// <summary>Every entry, in slot order (for checks; not for decisions).</summary>
        public void ForEach(Action<ulong, int> visit)
        {
            for (int i = 0; i < _keys.Length; i++)
                if (_keys[i] != 0) visit(_keys[i], _values[i]);
        }

        void Grow()
        {
            ulong[] keys = _keys;
            int[] values = _values;
            _keys = new ulong[keys.Length * 2];
            _values = new int[keys.Length * 2];
            _mask = _keys.Length - 1;
            Count = 0;
            for (int i = 0; i < keys.Length; i++)
                if (keys[i] != 0) TryAdd(keys[i], values[i]);
        }
    }
}
