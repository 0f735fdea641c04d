using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sim.Core.Scenes
{
    /// <summary>Reads a YAML file whose root is a mapping; syntax errors become one line with the file and line.</summary>
    public static class YamlFile
    {
        public static YamlMappingNode LoadMapping(string path, string whatItShouldBe)
        {
            var stream = new YamlStream();
            try
            {
                using var reader = new StreamReader(path);
                stream.Load(reader);
            }
            catch (YamlException e)
            {
                throw new SimInputException(path, (int)e.Start.Line, "", "not valid YAML: " + e.Message);
            }
            catch (System.InvalidOperationException e)
            {
                // YamlDotNet reports some malformed documents (e.g. an unclosed flow sequence) this way, without a position.
                throw new SimInputException(path, 0, "", "not valid YAML: " + e.Message);
            }
            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root))
                throw new SimInputException(path, 1, "", whatItShouldBe);
            return root;
        }
    }
}
