using System;
using System.Collections.Generic;
using MemoryPack;

namespace Sim.Core.Snapshots
{
    /// <summary>Takes back, in order, the values a <see cref="SnapshotWriter"/> appended.</summary>
    public sealed class SnapshotReader
    {
        readonly byte[] _bytes;
        int _at;

        public SnapshotReader(byte[] bytes)
        {
            _bytes = bytes;
        }

        /// <summary>Whether every byte has been read (a snapshot read whole by the matching reader ends exactly).</summary>
        public bool AtEnd => _at == _bytes.Length;

        /// <summary>
        /// Refills <paramref name="target"/> in place with a saved array of the same length, so that whoever holds the
        /// array sees the restored values.
        /// </summary>
        public void ReadInto<T>(T[] target)
        {
            T[] saved = Read<T[]>();
            if (saved.Length != target.Length)
                throw new SnapshotException("a saved table has " + saved.Length + " entries where this simulation has " + target.Length + ": another scene");
            Array.Copy(saved, target, saved.Length);
        }

        /// <summary>Refills <paramref name="target"/> in place with a saved list's items.</summary>
        public void ReadInto<T>(List<T> target)
        {
            List<T> saved = Read<List<T>>();
            target.Clear();
            target.AddRange(saved);
        }

        public T Read<T>()
        {
            T? value = default;
            try
            {
                _at += MemoryPackSerializer.Deserialize(new ReadOnlySpan<byte>(_bytes, _at, _bytes.Length - _at), ref value);
            }
            catch (MemoryPackSerializationException e)
            {
                throw new SnapshotException("the snapshot is damaged or from another version: " + e.Message);
            }
            return value!;
        }
    }
}
