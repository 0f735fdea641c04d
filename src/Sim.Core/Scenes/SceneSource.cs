using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// Where each YAML node came from: the scene file (with its line) or a <c>--set</c> flag,
    /// so that an error points at what the user has to change.
    /// </summary>
    internal sealed class SceneSource
    {
        readonly Dictionary<YamlNode, string> _fromFlags = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);

        public SceneSource(string filePath)
        {
            FilePath = filePath;
        }

        public string FilePath { get; }

        public void MarkFromFlag(YamlNode node, string flag) => _fromFlags[node] = flag;

        public SimInputException Error(YamlNode node, string field, string problem)
        {
            if (_fromFlags.TryGetValue(node, out string? flag))
                return new SimInputException("--set " + flag, 0, field, problem);
            return new SimInputException(FilePath, (int)node.Start.Line, field, problem);
        }

        sealed class ReferenceEqualityComparer : IEqualityComparer<YamlNode>
        {
            public static readonly ReferenceEqualityComparer Instance = new ReferenceEqualityComparer();

            public bool Equals(YamlNode? x, YamlNode? y) => ReferenceEquals(x, y);

            public int GetHashCode(YamlNode obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
