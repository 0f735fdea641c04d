using System.IO;
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

        static string ReadBounded(string path)
        {
            using var reader = new StreamReader(path);
            var buffer = new char[MaxChars + 1];
            int length = 0, read;
            while (length < buffer.Length && (read = reader.Read(buffer, length, buffer.Length - length)) > 0) length += read;
            if (length > MaxChars) throw new SimInputException(path, 0, "", "larger than " + MaxChars + " characters; a scene or sweep file is a short YAML mapping");
            return new string(buffer, 0, length);
        }
    }
}
