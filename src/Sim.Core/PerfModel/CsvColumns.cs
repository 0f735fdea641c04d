using System;
using System.Globalization;

namespace Sim.Core.PerfModel
{
    /// <summary>Column positions of a profile CSV, found by name in its header line, and checked numeric fields.</summary>
    internal sealed class CsvColumns
    {
        readonly string[] _names;
        readonly string _path;

        public CsvColumns(string path, string headerLine)
        {
            _path = path;
            _names = headerLine.Split(',');
            for (int i = 0; i < _names.Length; i++) _names[i] = _names[i].Trim();
        }

        /// <summary>Index of a required column; a missing one is named with the header's line.</summary>
        public int Require(string name)
        {
            int index = Array.IndexOf(_names, name);
            if (index < 0) throw new SimInputException(_path, 1, name, "missing column; the header has: " + string.Join(",", _names));
            return index;
        }

        /// <summary>Splits a data line, insisting on the header's column count.</summary>
        public string[] Split(string line, int lineNumber)
        {
            string[] fields = line.Split(',');
            if (fields.Length != _names.Length)
                throw new SimInputException(_path, lineNumber, "", string.Format(CultureInfo.InvariantCulture, "{0} columns, but the header has {1}", fields.Length, _names.Length));
            return fields;
        }

        public int PositiveInt(string[] fields, int column, int lineNumber)
        {
            if (!int.TryParse(fields[column].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 1)
                throw new SimInputException(_path, lineNumber, _names[column], "'" + fields[column] + "' is not a whole number above 0");
            return value;
        }

        public double PositiveDouble(string[] fields, int column, int lineNumber)
        {
            if (!double.TryParse(fields[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || double.IsInfinity(value))
                throw new SimInputException(_path, lineNumber, _names[column], "'" + fields[column] + "' is not a number above 0");
            return value;
        }

        public bool Flag(string[] fields, int column, int lineNumber)
        {
            if (bool.TryParse(fields[column].Trim(), out bool value)) return value;
            throw new SimInputException(_path, lineNumber, _names[column], "'" + fields[column] + "' is not True or False");
        }
    }
}
