using System;
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

        /// <summary>A value whose type is known only at run time (a field set by reflection).</summary>
        public object? ReadObject(Type type)
        {
            object? value = null;
            try
            {
                _at += MemoryPackSerializer.Deserialize(type, new ReadOnlySpan<byte>(_bytes, _at, _bytes.Length - _at), ref value);
            }
            catch (MemoryPackSerializationException e)
            {
                throw new SnapshotException("the snapshot is damaged or from another version: " + e.Message);
            }
            return value;
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
