using System;
using System.IO;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Reads a trace file one line at a time, skipping blank lines and counting 1-based line numbers for
    /// error messages; a file that cannot be opened or read is an input error, not a crash.
    /// </summary>
    internal sealed class TraceLineReader : IDisposable
    {
        readonly string _path;
        readonly StreamReader _reader;

        TraceLineReader(string path, StreamReader reader)
        {
            _path = path;
            _reader = reader;
        }

        /// <summary>1-based number of the line last returned by <see cref="Next"/>.</summary>
        public int LineNumber { get; private set; }

        public static TraceLineReader Open(string path)
        {
            if (!File.Exists(path)) throw new SimInputException(path, 0, "", "trace file not found");
            try
            {
                return new TraceLineReader(path, new StreamReader(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SimInputException(path, 0, "", "cannot open the trace: " + e.Message);
            }
        }

        /// <summary>The next line with any non-blank character, or null at the end of the file.</summary>
        public string? Next()
        {
            while (true)
            {
                string? line;
                try
                {
                    line = _reader.ReadLine();
                }
                catch (IOException e)
                {
                    throw new SimInputException(_path, LineNumber + 1, "", "cannot read the trace: " + e.Message);
                }
                if (line == null) return null;
                LineNumber++;
                if (!IsBlank(line)) return line;
            }
        }

        public void Dispose() => _reader.Dispose();

        static bool IsBlank(string line)
        {
            foreach (char c in line)
                if (!char.IsWhiteSpace(c)) return false;
            return true;
        }
    }
}
