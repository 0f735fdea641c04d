using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sim.Core;
using Sim.Core.Scenes;
using YamlDotNet.RepresentationModel;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// A sweep file: the scene (relative to the sweep file), fixed overrides under <c>set:</c>, and under <c>grid:</c>
    /// a list of values for each scene key. Every value keeps its line so a bad one is reported where it is written.
    /// </summary>
    public sealed class SweepFile
    {
        static readonly string[] TopKeys = { "scene", "set", "grid" };

        public string Path { get; private set; } = "";

        public string ScenePath { get; private set; } = "";

        /// <summary>Overrides every point shares, as <c>key=value</c>, in file order.</summary>
        public List<string> Fixed { get; } = new List<string>();

        /// <summary>The line of each <see cref="Fixed"/> override's key under <c>set:</c>.</summary>
        public List<int> FixedLines { get; } = new List<int>();

        /// <summary>The grid's keys in file order, each with its values and their lines.</summary>
        public List<(string Key, int Line, List<(string Value, int Line)> Values)> Grid { get; } = new List<(string, int, List<(string, int)>)>();

        public static SweepFile Read(string path)
        {
            InputFile.Require(path, "sweep");
            YamlMappingNode root = YamlFile.LoadMapping(path, "a sweep is a mapping with scene:, grid: and optionally set:");
            var sweep = new SweepFile { Path = path };
            foreach (var entry in root.Children)
            {
                string key = ((YamlScalarNode)entry.Key).Value ?? "";
                if (!TopKeys.Contains(key))
                    throw new SimInputException(path, Line(entry.Key), key, "unknown key; a sweep has scene:, set: and grid:");
            }
            sweep.ScenePath = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".",
                Scalar(path, root, "scene") ?? throw new SimInputException(path, 1, "scene", "missing; the scene file to sweep, relative to this file")));
            if (Child(root, "set") is YamlNode set)
                foreach (var entry in Mapping(path, set, "set").Children)
                {
                    string key = ((YamlScalarNode)entry.Key).Value ?? "";
                    sweep.Fixed.Add(key + "=" + ScalarValue(path, entry.Value, "set." + key));
                    sweep.FixedLines.Add(Line(entry.Key));
                }
            YamlNode grid = Child(root, "grid") ?? throw new SimInputException(path, 1, "grid", "missing; e.g. grid: { scheduler.policy: [vllm, sarathi] }");
            foreach (var entry in Mapping(path, grid, "grid").Children)
            {
                string key = ((YamlScalarNode)entry.Key).Value ?? "";
                if (!(entry.Value is YamlSequenceNode list) || list.Children.Count == 0)
                    throw new SimInputException(path, Line(entry.Value), "grid." + key, "expected a non-empty list of values, e.g. [1, 2, 4]");
                sweep.Grid.Add((key, Line(entry.Key), list.Children.Select(v => (ScalarValue(path, v, "grid." + key), Line(v))).ToList()));
            }
            if (sweep.Grid.Count == 0) throw new SimInputException(path, Line(grid), "grid", "is empty; give at least one key with a list of values");
            return sweep;
        }

        static YamlNode? Child(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? child : null;

        static string? Scalar(string path, YamlMappingNode node, string key) => Child(node, key) is YamlNode child ? ScalarValue(path, child, key) : null;

        static string ScalarValue(string path, YamlNode node, string field) =>
            node is YamlScalarNode scalar && !string.IsNullOrEmpty(scalar.Value) ? scalar.Value! : throw new SimInputException(path, Line(node), field, "expected a single value");

        static YamlMappingNode Mapping(string path, YamlNode node, string field) =>
            node as YamlMappingNode ?? throw new SimInputException(path, Line(node), field, "expected a mapping of scene keys (key.path: value)");

        static int Line(YamlNode node) => (int)node.Start.Line;
    }
}
