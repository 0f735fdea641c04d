using System;
using System.IO;

namespace Sim.Core
{
    /// <summary>
    /// Reads an input file (a trace or a profile) one line at a time, skipping blank lines and counting 1-based line numbers for
    /// error messages; a file that cannot be opened or read is an input error, not a crash.
    /// </summary>
    internal sealed class InputLineReader : IDisposable
    {
        readonly string _path;
        readonly string _kind;
        readonly StreamReader _reader;

        InputLineReader(string path, string kind, StreamReader reader)
        {
            _path = path;
            _kind = kind;
            _reader = reader;
        }

        /// <summary>1-based number of the line last returned by <see cref="Next"/>.</summary>
        public int LineNumber { get; private set; }

        /// <param name="kind">What the file is ("trace", "profile"), for messages.</param>
        public static InputLineReader Open(string path, string kind)
        {
            InputFile.Require(path, kind);
            try
            {
                return new InputLineReader(path, kind, new StreamReader(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SimInputException(path, 0, "", "cannot open the " + kind + " file: " + e.Message);
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
                    throw new SimInputException(_path, LineNumber + 1, "", "cannot read the " + _kind + " file: " + e.Message);
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
