using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Sim.Headless.Output
{
    /// <summary>Writes CSV rows of numbers without allocating: values are formatted into a reused buffer.</summary>
    public sealed class CsvLineWriter : IDisposable
    {
        readonly StreamWriter _writer;
        readonly char[] _buffer = new char[64];
        bool _lineStarted;

        public CsvLineWriter(Stream stream, string header)
        {
            _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            _writer.WriteLine(header);
        }

        public void Field(long value)
        {
            Separator();
            value.TryFormat(_buffer, out int written, default, CultureInfo.InvariantCulture);
            _writer.Write(_buffer, 0, written);
        }

        /// <summary>Shortest round-trip text of <paramref name="value"/>; empty for NaN (a time not reached).</summary>
        public void Field(double value)
        {
            Separator();
            if (double.IsNaN(value)) return;
            value.TryFormat(_buffer, out int written, "R", CultureInfo.InvariantCulture);
            _writer.Write(_buffer, 0, written);
        }

        public void Field(string value)
        {
            Separator();
            _writer.Write(value);
        }

        public void EndLine()
        {
            _writer.Write('\n');
            _lineStarted = false;
        }

        void Separator()
        {
            if (_lineStarted) _writer.Write(',');
            _lineStarted = true;
        }

        public void Dispose() => _writer.Dispose();
    }
}
