using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Sim.Core
{
    /// <summary>
    /// Reads an input file (a trace or a profile) one line at a time, skipping blank lines and counting 1-based line numbers for
    /// error messages; a file that cannot be opened or read is an input error, not a crash. Memory stays bounded whatever
    /// the file holds: a line longer than <see cref="MaxLineChars"/> (a binary file, /dev/zero) or a file beyond
    /// <see cref="MaxFileChars"/> (an endless stream) stops with one line.
    /// </summary>
    internal sealed class InputLineReader : IDisposable
    {
        /// <summary>The longest line: a Mooncake request with a 1M-token prompt lists 2,048 block hashes, about 20,000 characters.</summary>
        public const int MaxLineChars = 1 << 20;

        /// <summary>The largest file: 64 GiB, some 1.5 billion Azure rows, beyond what one replay can hold in its request log.</summary>
        public const long MaxFileChars = 64L << 30;

        readonly string _path;
        readonly string _kind;
        readonly StreamReader _reader;
        readonly StringBuilder _line = new StringBuilder();
        readonly long _maxFileChars;
        long _charsRead;

        InputLineReader(string path, string kind, StreamReader reader, long maxFileChars)
        {
            _path = path;
            _kind = kind;
            _reader = reader;
            _maxFileChars = maxFileChars;
        }

        /// <summary>1-based number of the line last returned by <see cref="Next"/>.</summary>
        public int LineNumber { get; private set; }

        /// <param name="kind">What the file is ("trace", "profile"), for messages.</param>
        /// <param name="maxFileChars">The size limit; smaller only in tests.</param>
        public static InputLineReader Open(string path, string kind, long maxFileChars = MaxFileChars)
        {
            InputFile.Require(path, kind);
            try
            {
                return new InputLineReader(path, kind, new StreamReader(path), maxFileChars);
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
                    line = ReadBoundedLine();
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

        /// <summary>Like <see cref="TextReader.ReadLine"/> (a line ends at \n, \r\n or \r) but never holds more than <see cref="MaxLineChars"/>.</summary>
        string? ReadBoundedLine()
        {
            _line.Clear();
            while (true)
            {
                int c = _reader.Read();
                if (c < 0) return _line.Length > 0 ? _line.ToString() : null;
                if (++_charsRead > _maxFileChars)
                    throw new SimInputException(_path, LineNumber + 1, "", string.Format(CultureInfo.InvariantCulture, "the {0} file is larger than {1} characters; split it", _kind, _maxFileChars));
                if (c == '\n') return _line.ToString();
                if (c == '\r')
                {
                    if (_reader.Peek() == '\n')
                    {
                        _reader.Read();
                        _charsRead++;
                    }
                    return _line.ToString();
                }
                if (_line.Length == MaxLineChars)
                    throw new SimInputException(_path, LineNumber + 1, "", string.Format(CultureInfo.InvariantCulture, "a line longer than {0} characters; is this a {1} file?", MaxLineChars, _kind));
                _line.Append((char)c);
            }
        }

        static bool IsBlank(string line)
        {
            foreach (char c in line)
                if (!char.IsWhiteSpace(c)) return false;
            return true;
        }
    }
}
