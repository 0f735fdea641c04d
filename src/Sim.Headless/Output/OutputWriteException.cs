using System;
using System.IO;

namespace Sim.Headless.Output
{
    /// <summary>An output (a file, a folder or stdout) could not be written: the environment's fault, exit 3.</summary>
    public sealed class OutputWriteException : IOException
    {
        public OutputWriteException(string target, Exception inner)
            : base(target + ": cannot write: " + inner.Message, inner)
        {
            Target = target;
        }

        /// <summary>The path the user named, or "stdout".</summary>
        public string Target { get; }
    }
}
