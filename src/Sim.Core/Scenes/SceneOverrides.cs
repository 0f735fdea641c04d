using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace Sim.Core.Scenes
{
    /// <summary>Applies <c>--set key.path=value</c> flags to a scene's YAML tree before it is read.</summary>
    internal static class SceneOverrides
    {
        public static void Apply(YamlMappingNode root, IReadOnlyList<string> overrides, SceneSource source)
        {
            foreach (string flag in overrides)
            {
                int equals = flag.IndexOf('=');
                if (equals <= 0)
                    throw new SimInputException("--set " + flag, 0, "", "expected key.path=value, e.g. --set scheduler.policy=vllm");
                string[] path = flag.Substring(0, equals).Split('.');
                string value = flag.Substring(equals + 1);
                YamlMappingNode parent = root;
                for (int i = 0; i < path.Length - 1; i++)
                {
                    if (path[i].Length == 0)
                        throw new SimInputException("--set " + flag, 0, "", "empty key in the path");
                    var key = new YamlScalarNode(path[i]);
                    if (!parent.Children.TryGetValue(key, out YamlNode? child))
                    {
                        child = new YamlMappingNode();
                        source.MarkFromFlag(key, flag);
                        source.MarkFromFlag(child, flag);
                        parent.Children.Add(key, child);
                    }
                    if (!(child is YamlMappingNode mapping))
                        throw new SimInputException("--set " + flag, 0, string.Join(".", path, 0, i + 1), "is a value, not a section; it has no key '" + path[i + 1] + "'");
                    parent = mapping;
                }
                var node = new YamlScalarNode(value);
                source.MarkFromFlag(node, flag);
                var leafKey = new YamlScalarNode(path[path.Length - 1]);
                source.MarkFromFlag(leafKey, flag);
                parent.Children.Remove(leafKey);
                parent.Children.Add(leafKey, node);
            }
        }
    }
}
