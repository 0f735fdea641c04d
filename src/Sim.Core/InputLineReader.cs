using System;
using System.Globalization;
using System.IO;

namespace Sim.Core
{
    /// <summary>
    /// Reads an input file (a trace or a profile) one line at a time, skipping blank lines and counting 1-based line numbers for
    /// error messages; a file that cannot be opened or read is an input error, not a crash. <see cref="NextLine"/> hands out
    /// each line as a span of a reused buffer, so a multi-million-row trace is read without a string per row. Memory stays
    /// bounded whatever the file holds: a line longer than <see cref="MaxLineChars"/> (a binary file, /dev/zero) or a file
    /// beyond <see cref="MaxFileChars"/> (an endless stream) stops with one line.
    /// </summary>
    internal sealed class InputLineReader : IDisposable
    {
        /// <summary>The longest line: a Mooncake request with a 1M-token prompt lists 2,048 block hashes, about 20,000 characters.</summary>
        public const int MaxLineChars = 1 << 20;

        /// <summary>The largest file: 64 GiB, some 1.5 billion Azure rows, beyond what one replay can hold in its request log.</summary>
        public const long MaxFileChars = 64L << 30;

        // 32 KiB, under the runtime's large-object threshold: each file opened (a profile folder opens several) takes fresh
        // small-object memory, not a large block zeroed apart. A longer line grows it.
        internal const int InitialBufferChars = 1 << 14;

        // The file stream's buffer: one read call per 32 KiB of the file, not per 4 KiB as by default (a 3 MB profile table took
        // 745 calls). The stream's buffer is not zeroed, where a stream reader's buffers of that size (its bytes and their
        // chars, 96 KiB) are, fresh pages each file: the reader keeps its small default ones, filled from the stream's.
        const int ReadBytes = 1 << 15;

        readonly string _path;
        readonly string _kind;
        readonly StreamReader _reader;
        char[] _buffer = new char[InitialBufferChars];
        int _start;
        int _end;
        bool _endOfFile;
        bool _skipLineFeed;
        readonly long _maxFileChars;
        long _charsRead;

        InputLineReader(string path, string kind, StreamReader reader, long maxFileChars)
        {
            _path = path;
            _kind = kind;
            _reader = reader;
            _maxFileChars = maxFileChars;
        }

        /// <summary>The file's size in bytes, where it has one (null for a pipe or a device): a reader's estimate of its rows.</summary>
        public long? LengthBytes => _reader.BaseStream.CanSeek ? _reader.BaseStream.Length : (long?)null;

        /// <summary>1-based number of the line last returned by <see cref="Next"/> or <see cref="NextLine"/>.</summary>
        public int LineNumber { get; private set; }

        /// <param name="kind">What the file is ("trace", "profile"), for messages.</param>
        /// <param name="maxFileChars">The size limit; smaller only in tests.</param>
        public static InputLineReader Open(string path, string kind, long maxFileChars = MaxFileChars)
        {
            InputFile.Require(path, kind);
            try
            {
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBytes);
                return new InputLineReader(path, kind, new StreamReader(file), maxFileChars);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SimInputException(path, 0, "", "cannot open the " + kind + " file: " + e.Message);
            }
        }

        /// <summary>The next line with any non-blank character, or null at the end of the file.</summary>
        public string? Next() => NextLine(out ReadOnlySpan<char> line) ? line.ToString() : null;

        /// <summary>
        /// The next line with any non-blank character (ended by \n, \r\n or \r, as <see cref="StreamReader.ReadLine"/> ends
        /// them), valid until the next call; false at the end of the file.
        /// </summary>
        public bool NextLine(out ReadOnlySpan<char> line)
        {
            while (true)
            {
                if (!RawLine(out line)) return false;
                LineNumber++;
                if (!IsBlank(line)) return true;
            }
        }

        bool RawLine(out ReadOnlySpan<char> line)
        {
            int scanned = _start;
            while (true)
            {
                if (_skipLineFeed && _start < _end)
                {
                    _skipLineFeed = false;
                    if (_buffer[_start] == '\n') _start++;
                    scanned = _start;
                }
                int newline = _buffer.AsSpan(scanned, _end - scanned).IndexOfAny('\n', '\r');
                if (newline >= 0)
                {
                    int length = scanned - _start + newline;
                    line = new ReadOnlySpan<char>(_buffer, _start, length);
                    _skipLineFeed = _buffer[_start + length] == '\r';
                    _start += length + 1;
                    CheckFileSize();
                    return true;
                }
                if (_endOfFile)
                {
                    line = new ReadOnlySpan<char>(_buffer, _start, _end - _start);
                    bool any = _end > _start;
                    _start = _end;
                    CheckFileSize();
                    return any;
                }
                scanned = _end - _start;
                Fill();
                scanned += _start;
            }
        }

        /// <summary>Moves the unread part to the front (growing the buffer when one line fills it) and reads more.</summary>
        void Fill()
        {
            int unread = _end - _start;
            // The unread part is the line being read: room for the longest line and its terminator, and not a character more.
            if (unread > MaxLineChars)
                throw new SimInputException(_path, LineNumber + 1, "", string.Format(CultureInfo.InvariantCulture, "a line longer than {0} characters; is this a {1} file?", MaxLineChars, _kind));
            if (unread == _buffer.Length) Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineChars + 1));
            else if (_start > 0) Array.Copy(_buffer, _start, _buffer, 0, unread);
            _start = 0;
            _end = unread;
            int read;
            try
            {
                read = _reader.Read(_buffer, _end, _buffer.Length - _end);
            }
            catch (IOException e)
            {
                throw new SimInputException(_path, LineNumber + 1, "", "cannot read the " + _kind + " file: " + e.Message);
            }
            if (read == 0) _endOfFile = true;
            _end += read;
            _charsRead += read;
        }

        /// <summary>Stops once the lines handed out (terminators included) pass the size limit, whatever was read ahead.</summary>
        void CheckFileSize()
        {
            long consumed = _charsRead - (_end - _start);
            if (consumed > _maxFileChars)
                throw new SimInputException(_path, LineNumber + 1, "", string.Format(CultureInfo.InvariantCulture, "the {0} file is larger than {1} characters; split it", _kind, _maxFileChars));
        }

        public void Dispose() => _reader.Dispose();

        static bool IsBlank(ReadOnlySpan<char> line)
        {
            foreach (char c in line)
                if (!char.IsWhiteSpace(c)) return false;
            return true;
        }
    }
}
