using System;
using System.Globalization;

namespace Sim.Core
{
    /// <summary>Column positions of a CSV file (a trace or a profile), found by name in its header line (extra columns are allowed), and checked fields.</summary>
    internal sealed class CsvHeader
    {
        readonly string[] _names;
        readonly string _path;
        readonly int _line;

        public CsvHeader(string path, int line, string headerLine)
        {
            _path = path;
            _line = line;
            _names = SplitNames(headerLine);
        }

        public static string[] SplitNames(string headerLine)
        {
            string[] names = headerLine.Split(',');
            for (int i = 0; i < names.Length; i++) names[i] = names[i].Trim();
            return names;
        }

        /// <summary>Index of a required column; a missing or repeated one is reported on the header's line.</summary>
        public int Require(string name)
        {
            int index = Array.IndexOf(_names, name);
            if (index < 0)
                throw new SimInputException(_path, _line, name, "missing column; the header has: " + string.Join(",", _names));
            if (Array.IndexOf(_names, name, index + 1) >= 0)
                throw new SimInputException(_path, _line, name, "the column appears more than once");
            return index;
        }

        /// <summary>Index of an optional column; -1 when the header does not have it.</summary>
        public int Optional(string name) => Array.IndexOf(_names, name) >= 0 ? Require(name) : -1;

        /// <summary>
        /// Finds a data line's fields without copying them, insisting on the header's column count: field i is
        /// <c>line[starts[i]..(starts[i + 1] - 1)]</c> (see <see cref="Field"/>); <paramref name="starts"/> has a slot more than the columns.
        /// </summary>
        public void Split(ReadOnlySpan<char> line, int lineNumber, int[] starts)
        {
            int columns = 0;
            starts[0] = 0;
            // The commas found by the vectorised search, a field (a few characters to a few tens) at a time.
            for (int at = line.IndexOf(','); at >= 0;)
            {
                columns++;
                if (columns < _names.Length) starts[columns] = at + 1;
                int next = line.Slice(at + 1).IndexOf(',');
                at = next < 0 ? -1 : at + 1 + next;
            }
            columns++;
            if (columns != _names.Length)
                throw new SimInputException(_path, lineNumber, "", string.Format(CultureInfo.InvariantCulture,
                    "{0} columns, but the header has {1}", columns, _names.Length));
            starts[columns] = line.Length + 1;
        }

        /// <summary>Room for <see cref="Split(ReadOnlySpan{char}, int, int[])"/>'s field starts.</summary>
        public int[] NewFieldStarts() => new int[_names.Length + 1];

        public static ReadOnlySpan<char> Field(ReadOnlySpan<char> line, int[] starts, int column) =>
            line.Slice(starts[column], starts[column + 1] - 1 - starts[column]);

        public int PositiveInt(ReadOnlySpan<char> line, int[] starts, int column, int lineNumber)
        {
            ReadOnlySpan<char> field = Field(line, starts, column);
            if (!int.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 1)
                throw new SimInputException(_path, lineNumber, _names[column], "'" + field.ToString() + "' is not a whole number above 0");
            return value;
        }

        public int NonNegativeInt(ReadOnlySpan<char> line, int[] starts, int column, int lineNumber)
        {
            ReadOnlySpan<char> field = Field(line, starts, column);
            if (!int.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0)
                throw new SimInputException(_path, lineNumber, _names[column], "'" + field.ToString() + "' is not a whole number of 0 or more");
            return value;
        }

        public double PositiveDouble(ReadOnlySpan<char> line, int[] starts, int column, int lineNumber)
        {
            ReadOnlySpan<char> field = Field(line, starts, column);
            if (!double.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || double.IsInfinity(value))
                throw new SimInputException(_path, lineNumber, _names[column], "'" + field.ToString() + "' is not a number above 0");
            return value;
        }

        public bool Flag(ReadOnlySpan<char> line, int[] starts, int column, int lineNumber)
        {
            ReadOnlySpan<char> field = Field(line, starts, column);
            if (bool.TryParse(field.Trim(), out bool value)) return value;
            throw new SimInputException(_path, lineNumber, _names[column], "'" + field.ToString() + "' is not True or False");
        }
    }
}
