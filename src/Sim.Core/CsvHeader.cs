using System;
using System.Globalization;
#if NET8_0_OR_GREATER
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
#endif

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
            starts[0] = 0;
            int columns = 1 + Commas(line, starts, _names.Length);
            if (columns != _names.Length)
                throw new SimInputException(_path, lineNumber, "", string.Format(CultureInfo.InvariantCulture,
                    "{0} columns, but the header has {1}", columns, _names.Length));
            starts[columns] = line.Length + 1;
        }

        /// <summary>
        /// Counts the commas of <paramref name="line"/>, noting where each of the first <paramref name="fields"/> - 1 fields after
        /// the first starts. Sixteen characters are compared at once where the processor can, the commas read off the
        /// comparison's bit mask: a profile's fields are a few characters each, too short for a search call per field.
        /// </summary>
        static int Commas(ReadOnlySpan<char> line, int[] starts, int fields)
        {
            int commas = 0, i = 0;
#if NET8_0_OR_GREATER
            if (Vector256.IsHardwareAccelerated)
            {
                ref ushort first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(line));
                Vector256<ushort> comma = Vector256.Create((ushort)',');
                for (; i + Vector256<ushort>.Count <= line.Length; i += Vector256<ushort>.Count)
                {
                    uint mask = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), comma).ExtractMostSignificantBits();
                    for (; mask != 0; mask &= mask - 1)
                        if (++commas < fields) starts[commas] = i + BitOperations.TrailingZeroCount(mask) + 1;
                }
            }
#endif
            for (; i < line.Length; i++)
                if (line[i] == ',' && ++commas < fields) starts[commas] = i + 1;
            return commas;
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
