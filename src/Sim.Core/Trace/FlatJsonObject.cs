using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Parses one JSON object — the whole of a Mooncake trace line — without a JSON library (Sim.Core stays
    /// dependency-light for Unity). Top-level numbers and arrays of numbers are kept by key; any other value
    /// (strings, literals, nested objects, mixed arrays) is checked for syntax and otherwise skipped. Malformed
    /// text is a <see cref="FormatException"/> saying what and where.
    /// </summary>
    internal sealed class FlatJsonObject
    {
        // Bounds recursion on hostile input such as "[[[[...": a stack overflow would kill the process.
        const int MaxDepth = 64;

        readonly string _text;
        readonly HashSet<string> _keys = new HashSet<string>(StringComparer.Ordinal);
        readonly Dictionary<string, double> _numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        readonly Dictionary<string, List<double>> _numberArrays = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        int _at;

        FlatJsonObject(string text)
        {
            _text = text;
        }

        public static FlatJsonObject Parse(string line)
        {
            var json = new FlatJsonObject(line);
            json.ParseTopObject();
            return json;
        }

        public bool HasKey(string key) => _keys.Contains(key);

        public bool TryGetNumber(string key, out double value) => _numbers.TryGetValue(key, out value);

        public bool TryGetNumberArray(string key, [NotNullWhen(true)] out List<double>? values) => _numberArrays.TryGetValue(key, out values);

        void ParseTopObject()
        {
            Members(0, keep: true);
            SkipSpace();
            if (_at != _text.Length) throw Error("unexpected text after the object");
        }

        /// <summary>Parses <c>{ "key": value, ... }</c>; with <paramref name="keep"/>, records its numbers and number arrays by key.</summary>
        void Members(int depth, bool keep)
        {
            Expect('{');
            SkipSpace();
            if (Peek() == '}')
            {
                _at++;
                return;
            }
            while (true)
            {
                SkipSpace();
                string key = ParseString();
                Expect(':');
                SkipSpace();
                List<double>? array = null;
                double? value = null;
                if (Peek() == '[') array = ParseArray(depth + 1);
                else value = ParseValue(depth + 1);
                if (keep) Keep(key, value, array);
                SkipSpace();
                char next = Take();
                if (next == '}') return;
                if (next != ',') throw Error("expected ',' or '}'");
            }
        }

        void Keep(string key, double? value, List<double>? array)
        {
            _keys.Add(key);
            // A repeated key keeps its last value, as most JSON parsers do.
            _numbers.Remove(key);
            _numberArrays.Remove(key);
            if (value.HasValue) _numbers[key] = value.Value;
            if (array != null) _numberArrays[key] = array;
        }

        /// <summary>An array; its numbers when every element is one, else null.</summary>
        List<double>? ParseArray(int depth)
        {
            if (depth > MaxDepth) throw Error("nested too deeply");
            Expect('[');
            var values = new List<double>();
            bool allNumbers = true;
            SkipSpace();
            if (Peek() == ']')
            {
                _at++;
                return values;
            }
            while (true)
            {
                double? value = ParseValue(depth + 1);
                if (value.HasValue) values.Add(value.Value);
                else allNumbers = false;
                SkipSpace();
                char next = Take();
                if (next == ']') return allNumbers ? values : null;
                if (next != ',') throw Error("expected ',' or ']'");
            }
        }

        /// <summary>Any value; the number when it is one, else null.</summary>
        double? ParseValue(int depth)
        {
            if (depth > MaxDepth) throw Error("nested too deeply");
            SkipSpace();
            switch (Peek())
            {
                case '{':
                    Members(depth, keep: false);
                    return null;
                case '[':
                    ParseArray(depth);
                    return null;
                case '"':
                    ParseString();
                    return null;
                case 't':
                case 'f':
                case 'n':
                    ParseLiteral();
                    return null;
                default:
                    return ParseNumber();
            }
        }

        string ParseString()
        {
            Expect('"');
            int start = _at;
            while (_at < _text.Length && _text[_at] != '"')
            {
                if (_text[_at] == '\\') _at++;
                _at++;
            }
            if (_at >= _text.Length) throw Error("unterminated string");
            return _text.Substring(start, _at++ - start);
        }

        double ParseNumber()
        {
            int start = _at;
            while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0) _at++;
            if (!double.TryParse(_text.AsSpan(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                _at = start;
                throw Error("expected a value");
            }
            return value;
        }

        void ParseLiteral()
        {
            foreach (string literal in new[] { "true", "false", "null" })
                if (string.CompareOrdinal(_text, _at, literal, 0, literal.Length) == 0)
                {
                    _at += literal.Length;
                    return;
                }
            throw Error("unexpected value");
        }

        void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Error("expected '" + c + "'");
            _at++;
        }

        char Peek() => _at < _text.Length ? _text[_at] : '\0';

        char Take() => _at < _text.Length ? _text[_at++] : '\0';

        void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
        }

        FormatException Error(string what) => new FormatException(what + " at character " + (_at + 1).ToString(CultureInfo.InvariantCulture));
    }
}
