using System.IO;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sim.Core.Scenes
{
    /// <summary>Reads a YAML file whose root is a mapping; syntax errors become one line with the file and line.</summary>
    public static class YamlFile
    {
        /// <summary>The largest scene or sweep file: hand-written files are a few KiB; this stops a device or a binary file from filling memory.</summary>
        public const int MaxChars = 1 << 20;

        public static YamlMappingNode LoadMapping(string path, string whatItShouldBe)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(ReadBounded(path)));
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
            catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException)
            {
                throw new SimInputException(path, 0, "", "cannot read the file: " + e.Message);
            }
            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root))
                throw new SimInputException(path, 1, "", whatItShouldBe);
            return root;
        }

        // A block at a time, the bound checked as the text grows: a buffer of the bound would be 2 MB (zeroed, in the large-object
        // heap, whose growth the collector answers with a full collection) for each scene and catalog file a run reads.
        static string ReadBounded(string path)
        {
            using var reader = new StreamReader(path);
            var text = new StringBuilder();
            var block = new char[4096];
            int read;
            while ((read = reader.Read(block, 0, block.Length)) > 0)
            {
                if (text.Length + read > MaxChars) throw new SimInputException(path, 0, "", "larger than " + MaxChars + " characters; a scene or sweep file is a short YAML mapping");
                text.Append(block, 0, read);
            }
            return text.ToString();
        }
    }
}
