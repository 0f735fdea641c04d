using System;
using System.IO;
using System.Text;

namespace Sim.Headless.Output
{
    /// <summary>
    /// Stdout that reports a failed write (a full disk, a closed pipe's peer gone with an error) as an
    /// <see cref="OutputWriteException"/>, so <c>sim run --json &gt; /dev/full</c> exits non-zero with one line.
    /// </summary>
    internal sealed class CheckedStdout : TextWriter
    {
        readonly TextWriter _inner;

        public CheckedStdout(TextWriter inner) => _inner = inner;

        public override Encoding Encoding => _inner.Encoding;

        public override void Write(char value) => Guard(() => _inner.Write(value));

        public override void Write(string? value) => Guard(() => _inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

        public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));

        public override void Flush() => Guard(_inner.Flush);

        static void Guard(Action write)
        {
            try
            {
                write();
            }
            catch (IOException e) when (e is not OutputWriteException)
            {
                throw new OutputWriteException("stdout", e);
            }
        }
    }
}
