using System;
using System.Collections.Generic;
using System.Globalization;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Parses one JSON object whose values are numbers, strings, literals or arrays of numbers — the whole
    /// shape of a Mooncake trace line — without a JSON library (Sim.Core stays dependency-light for Unity).
    /// Anything else is a <see cref="FormatException"/> saying what and where.
    /// </summary>
    internal sealed class FlatJsonObject
    {
        readonly string _text;
        int _at;

        FlatJsonObject(string text)
        {
            _text = text;
        }

        public Dictionary<string, double> Numbers { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

        public Dictionary<string, List<double>> Arrays { get; } = new Dictionary<string, List<double>>(StringComparer.Ordinal);

        public static FlatJsonObject Parse(string line)
        {
            var json = new FlatJsonObject(line);
            json.ParseObject();
            return json;
        }

        void ParseObject()
        {
            Expect('{');
            SkipSpace();
            if (Peek() == '}')
            {
                _at++;
                End();
                return;
            }
            while (true)
            {
                string key = ParseString();
                Expect(':');
                SkipSpace();
                char c = Peek();
                if (c == '[') Arrays[key] = ParseArray();
                else if (c == '"') ParseString();
                else if (c == 't' || c == 'f' || c == 'n') ParseLiteral();
                else Numbers[key] = ParseNumber();
                SkipSpace();
                char next = Take();
                if (next == '}') break;
                if (next != ',') throw Error("expected ',' or '}'");
            }
            End();
        }

        List<double> ParseArray()
        {
            Expect('[');
            var values = new List<double>();
            SkipSpace();
            if (Peek() == ']')
            {
                _at++;
                return values;
            }
            while (true)
            {
                values.Add(ParseNumber());
                SkipSpace();
                char next = Take();
                if (next == ']') return values;
                if (next != ',') throw Error("expected ',' or ']' in an array of numbers");
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
            SkipSpace();
            int start = _at;
            while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0) _at++;
            if (!double.TryParse(_text.Substring(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw Error("expected a number");
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
            if (Take() != c) throw Error("expected '" + c + "'");
        }

        void End()
        {
            SkipSpace();
            if (_at != _text.Length) throw Error("unexpected text after the object");
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
