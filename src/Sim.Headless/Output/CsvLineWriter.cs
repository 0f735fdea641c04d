using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Sim.Headless.Output
{
    /// <summary>
    /// Writes CSV rows of numbers without allocating: values are formatted as UTF-8 straight into one reused byte
    /// buffer, which goes to the stream when full (no per-field string, no char-to-byte encoding pass).
    /// </summary>
    public sealed class CsvLineWriter : IDisposable
    {
        const int BufferBytes = 1 << 16;
        /// <summary>Room for any one number ("R" doubles need at most 24 bytes) and its separator.</summary>
        const int FieldRoomBytes = 64;

        readonly Stream _stream;
        readonly byte[] _buffer = new byte[BufferBytes];
        int _used;
        bool _lineStarted;

        public CsvLineWriter(Stream stream, string header)
            : this(stream)
        {
            Text(header);
            EndLine();
        }

        /// <summary>A writer of rows alone, without a header: a slice of a file's rows formatted apart (<see cref="CsvSliceWriter"/>).</summary>
        public CsvLineWriter(Stream stream)
        {
            _stream = stream;
        }

        public void Field(long value)
        {
            Separator();
            value.TryFormat(_buffer.AsSpan(_used), out int written, default, CultureInfo.InvariantCulture);
            _used += written;
        }

        /// <summary>Shortest round-trip text of <paramref name="value"/>; empty for NaN (a time not reached).</summary>
        public void Field(double value)
        {
            Separator();
            if (double.IsNaN(value)) return;
            // +0 (no transfer, no wait) is common and its text is known: skip the formatter's general path.
            if (BitConverter.DoubleToInt64Bits(value) == 0)
            {
                _buffer[_used++] = (byte)'0';
                return;
            }
            _used += Format(value, _buffer.AsSpan(_used));
        }

        /// <summary>A field already formatted as UTF-8 (at most 64 bytes): what <see cref="Field(double)"/> would write, kept by the caller.</summary>
        public void Field(ReadOnlySpan<byte> utf8)
        {
            Separator();
            utf8.CopyTo(_buffer.AsSpan(_used));
            _used += utf8.Length;
        }

        /// <summary>The shortest round-trip text of <paramref name="value"/> (not NaN) into <paramref name="destination"/> (24 bytes suffice); its length.</summary>
        public static int Format(double value, Span<byte> destination)
        {
            value.TryFormat(destination, out int written, "R", CultureInfo.InvariantCulture);
            return written;
        }

        public void Field(string value)
        {
            Separator();
            Text(value);
        }

        public void EndLine()
        {
            Room(1);
            _buffer[_used++] = (byte)'\n';
            _lineStarted = false;
        }

        /// <summary>Whole lines already formatted as UTF-8 (by another writer): what is buffered goes first, then they go straight to the stream.</summary>
        public void Lines(ReadOnlySpan<byte> utf8)
        {
            if (_lineStarted) throw new InvalidOperationException("whole lines go between lines, not inside one");
            Flush();
            _stream.Write(utf8);
        }

        void Text(string value)
        {
            int most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (most > _buffer.Length)
            {
                Flush();
                _stream.Write(Encoding.UTF8.GetBytes(value));
                return;
            }
            Room(most);
            _used += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used));
        }

        /// <summary>Writes the separator, first making room for it and the number that follows.</summary>
        void Separator()
        {
            Room(FieldRoomBytes);
            if (_lineStarted) _buffer[_used++] = (byte)',';
            _lineStarted = true;
        }

        void Room(int bytes)
        {
            if (_used + bytes > _buffer.Length) Flush();
        }

        /// <summary>Writes what is buffered to the stream.</summary>
        public void Flush()
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }

        /// <summary>Writes what is buffered and closes the stream.</summary>
        public void Dispose()
        {
            Flush();
            _stream.Dispose();
        }
    }
}
