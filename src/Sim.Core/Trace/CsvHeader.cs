using System;
using System.Globalization;

namespace Sim.Core.Trace
{
    /// <summary>Column positions of a CSV trace, found by name in its header line.</summary>
    internal sealed class CsvHeader
    {
        readonly string[] _names;
        readonly string _path;

        public CsvHeader(string path, string headerLine)
        {
            _path = path;
            _names = headerLine.Split(',');
            for (int i = 0; i < _names.Length; i++) _names[i] = _names[i].Trim();
        }

        public int ColumnCount => _names.Length;

        public static bool Contains(string[] columns, string name) => Array.Exists(columns, c => c.Trim() == name);

        /// <summary>Index of a required column; a missing one is named with the header's line.</summary>
        public int Require(string name)
        {
            int index = Array.IndexOf(_names, name);
            if (index < 0)
                throw new SimInputException(_path, 1, name, "missing column; the header has: " + string.Join(",", _names));
            return index;
        }

        /// <summary>Splits a data line, insisting on the header's column count.</summary>
        public string[] Split(string line, int lineNumber)
        {
            string[] fields = line.Split(',');
            if (fields.Length != _names.Length)
                throw new SimInputException(_path, lineNumber, "", string.Format(CultureInfo.InvariantCulture,
                    "{0} columns, but the header has {1}", fields.Length, _names.Length));
            return fields;
        }
    }
}
