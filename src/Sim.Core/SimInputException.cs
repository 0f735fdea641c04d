using System;

namespace Sim.Core
{
    /// <summary>
    /// A user mistake in a scene, trace, profile or flag: reported as one line
    /// <c>file:line: field: what and how to fix</c> and exit code 2, never a stack trace.
    /// </summary>
    public sealed class SimInputException : Exception
    {
        public SimInputException(string file, int line, string field, string problem)
            : base(Format(file, line, field, problem))
        {
            File = file;
            Line = line;
            Field = field;
            Problem = problem;
        }

        /// <summary>The file at fault, as the user named it ("&lt;flag&gt;" for command-line input).</summary>
        public string File { get; }

        /// <summary>1-based line in <see cref="File"/>; 0 when the problem is not tied to a line.</summary>
        public int Line { get; }

        /// <summary>The field, column or key at fault.</summary>
        public string Field { get; }

        public string Problem { get; }

        static string Format(string file, int line, string field, string problem)
        {
            // Escaped: file names, fields and problems quote the user's input, which may hold terminal escape sequences.
            string where = line > 0 ? InputText.Escape(file) + ":" + line : InputText.Escape(file);
            return string.IsNullOrEmpty(field) ? where + ": " + InputText.Escape(problem) : where + ": " + InputText.Escape(field) + ": " + InputText.Escape(problem);
        }
    }
}
