using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// Typed, line-aware reading of one YAML mapping. Every key read is remembered so that
    /// <see cref="RejectUnknownKeys"/> can name a typo with its line and the closest known key.
    /// </summary>
    internal sealed class YamlSection
    {
        readonly YamlMappingNode _node;
        readonly SceneSource _source;
        readonly string _path;
        readonly HashSet<string> _known = new HashSet<string>(StringComparer.Ordinal);

        public YamlSection(YamlMappingNode node, SceneSource source, string path)
        {
            _node = node;
            _source = source;
            _path = path;
        }

        public YamlSection? Section(string key)
        {
            YamlNode? node = Find(key);
            if (node == null) return null;
            if (node is YamlMappingNode mapping) return new YamlSection(mapping, _source, Qualify(key));
            throw Error(node, key, "expected a mapping of keys (key: value lines indented below it)");
        }

        public string? OptionalString(string key)
        {
            YamlNode? node = Find(key);
            if (node == null) return null;
            if (node is YamlScalarNode scalar && !string.IsNullOrEmpty(scalar.Value)) return scalar.Value!;
            throw Error(node, key, "expected a non-empty text value");
        }

        public string String(string key, string fallback) => OptionalString(key) ?? fallback;

        public string RequiredString(string key) =>
            OptionalString(key) ?? throw Error(_node, key, "missing; add `" + key + ": ...` to the " + SectionName + " section");

        public double Double(string key, double fallback, double min = double.NegativeInfinity, bool exclusiveMin = false)
        {
            YamlNode? node = Find(key);
            if (node == null) return fallback;
            string text = Scalar(node, key);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value) || double.IsInfinity(value))
                throw Error(node, key, "'" + text + "' is not a finite number");
            if (value < min || (exclusiveMin && value <= min))
                throw Error(node, key, value.ToString(CultureInfo.InvariantCulture) + " must be " + (exclusiveMin ? "> " : ">= ") + min.ToString(CultureInfo.InvariantCulture));
            return value;
        }

        public long Long(string key, long fallback, long min = long.MinValue)
        {
            YamlNode? node = Find(key);
            if (node == null) return fallback;
            string text = Scalar(node, key);
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                throw Error(node, key, "'" + text + "' is not a whole number");
            if (value < min)
                throw Error(node, key, value.ToString(CultureInfo.InvariantCulture) + " must be >= " + min.ToString(CultureInfo.InvariantCulture));
            return value;
        }

        /// <param name="maxReason">Why a value above <paramref name="max"/> is refused, for the message.</param>
        public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue, string? maxReason = null)
        {
            long value = Long(key, fallback, min);
            if (value > max) throw Error(Find(key)!, key, "must be at most " + max.ToString(CultureInfo.InvariantCulture) + (maxReason == null ? "" : " (" + maxReason + ")"));
            return (int)value;
        }

        /// <summary>A number above 0 that must be present.</summary>
        public double RequiredPositive(string key)
        {
            if (Find(key) == null) throw Error(_node, key, "missing; add `" + key + ": <number>` to the " + SectionName + " section");
            return Double(key, 0, 0, exclusiveMin: true);
        }

        public int RequiredInt(string key, int min)
        {
            if (Find(key) == null) throw Error(_node, key, "missing; add `" + key + ": <whole number>` to the " + SectionName + " section");
            return Int(key, 0, min);
        }

        /// <summary>
        /// A list of whole numbers of at least <paramref name="min"/>: a YAML sequence, or one value like <c>[1, 2]</c> or
        /// <c>1,2</c> (the form a <c>--set</c> flag gives); null when absent.
        /// </summary>
        public int[]? IntList(string key, int min)
        {
            YamlNode? node = Find(key);
            if (node == null) return null;
            IEnumerable<string> items = node is YamlSequenceNode sequence
                ? sequence.Children.Select(child => Scalar(child, key))
                : Scalar(node, key).Trim('[', ']', ' ').Split(',');
            var values = new List<int>();
            foreach (string item in items)
            {
                if (!int.TryParse(item.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
                    throw Error(node, key, "'" + item.Trim() + "' is not a whole number >= " + min.ToString(CultureInfo.InvariantCulture));
                values.Add(value);
            }
            if (values.Count == 0) throw Error(node, key, "the list is empty");
            return values.ToArray();
        }

        /// <summary>A list of numbers in [<paramref name="min"/>, <paramref name="max"/>], in the forms <see cref="IntList"/> takes; null when absent.</summary>
        public double[]? DoubleList(string key, double min, double max)
        {
            YamlNode? node = Find(key);
            if (node == null) return null;
            IEnumerable<string> items = node is YamlSequenceNode sequence
                ? sequence.Children.Select(child => Scalar(child, key))
                : Scalar(node, key).Trim('[', ']', ' ').Split(',');
            var values = new List<double>();
            foreach (string item in items)
            {
                if (!double.TryParse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value >= min && value <= max))
                    throw Error(node, key, "'" + item.Trim() + "' is not a number from " + min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture));
                values.Add(value);
            }
            if (values.Count == 0) throw Error(node, key, "the list is empty");
            return values.ToArray();
        }

        public bool Bool(string key, bool fallback)
        {
            YamlNode? node = Find(key);
            if (node == null) return fallback;
            string text = Scalar(node, key);
            if (text == "true") return true;
            if (text == "false") return false;
            throw Error(node, key, "'" + text + "' is not true or false");
        }

        /// <summary>A text value that must be one of <paramref name="allowed"/>.</summary>
        public string Choice(string key, string fallback, IReadOnlyCollection<string> allowed)
        {
            string value = String(key, fallback);
            if (allowed.Contains(value)) return value;
            throw Error(Find(key) ?? _node, key, "unknown value '" + value + "'" + Suggest(value, allowed) + "; known: " + string.Join(", ", allowed.OrderBy(a => a, StringComparer.Ordinal)));
        }

        public SimInputException ErrorAt(string key, string problem) => Error(Find(key) ?? _node, key, problem);

        /// <summary>Fails on the first key (in file order) that was never read.</summary>
        public void RejectUnknownKeys()
        {
            foreach (var entry in _node.Children)
            {
                string key = ((YamlScalarNode)entry.Key).Value ?? "";
                if (!_known.Contains(key))
                    throw Error(entry.Key, key, "unknown key" + Suggest(key, _known) + "; known keys here: " + string.Join(", ", _known.OrderBy(k => k, StringComparer.Ordinal)));
            }
        }

        string SectionName => _path.Length == 0 ? "top-level" : "'" + _path + "'";

        string Qualify(string key) => _path.Length == 0 ? key : _path + "." + key;

        YamlNode? Find(string key)
        {
            _known.Add(key);
            foreach (var entry in _node.Children)
                if (entry.Key is YamlScalarNode k && k.Value == key)
                    return entry.Value;
            return null;
        }

        string Scalar(YamlNode node, string key)
        {
            if (node is YamlScalarNode scalar && scalar.Value != null) return scalar.Value;
            throw Error(node, key, "expected a single value");
        }

        SimInputException Error(YamlNode node, string key, string problem) => _source.Error(node, Qualify(key), problem);

        static string Suggest(string value, IEnumerable<string> known)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in known.OrderBy(k => k, StringComparer.Ordinal))
            {
                int distance = EditDistance(value, candidate);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = candidate;
                }
            }
            return best != null && bestDistance <= Math.Max(2, value.Length / 3) ? " (did you mean '" + best + "'?)" : "";
        }

        static int EditDistance(string a, string b)
        {
            var row = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) row[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                int diagonal = row[0];
                row[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }
}
