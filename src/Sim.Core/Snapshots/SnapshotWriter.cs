using System;
using System.Buffers;
using MemoryPack;

namespace Sim.Core.Snapshots
{
    /// <summary>
    /// Appends values to a snapshot in MemoryPack's encoding, in the order the reader takes them back; a snapshot is
    /// a sequence of values with no names, so writer and reader must agree on the order.
    /// </summary>
    public sealed class SnapshotWriter
    {
        readonly GrowingBuffer _buffer = new GrowingBuffer();

        public void Write<T>(in T value) => MemoryPackSerializer.Serialize(_buffer, value);

        /// <summary>The first <paramref name="count"/> elements of <paramref name="values"/>, as an array.</summary>
        public void Write<T>(T[] values, int count) => MemoryPackSerializer.Serialize(_buffer, new ArraySegment<T>(values, 0, count));

        /// <summary>A list's items, read back into the same list by <see cref="SnapshotReader.ReadInto{T}(System.Collections.Generic.List{T})"/>.</summary>
        public void Write<T>(System.Collections.Generic.List<T> values) => MemoryPackSerializer.Serialize(_buffer, values);

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

        /// <summary>A byte buffer that doubles as it fills (netstandard2.1 has no ArrayBufferWriter).</summary>
        sealed class GrowingBuffer : IBufferWriter<byte>
        {
            byte[] _bytes = new byte[1 << 16];
            int _written;

            public ReadOnlySpan<byte> WrittenSpan => new ReadOnlySpan<byte>(_bytes, 0, _written);

            public void Advance(int count) => _written += count;

            public Memory<byte> GetMemory(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return new Memory<byte>(_bytes, _written, _bytes.Length - _written);
            }

            public Span<byte> GetSpan(int sizeHint = 0)
            {
                Ensure(sizeHint);
                return new Span<byte>(_bytes, _written, _bytes.Length - _written);
            }

            void Ensure(int sizeHint)
            {
                int needed = _written + Math.Max(sizeHint, 1);
                if (needed > _bytes.Length) Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
            }
        }
    }
}
