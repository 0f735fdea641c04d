using System.IO;

namespace Sim.Core
{
    /// <summary>The first check on any file the user names: it exists and is a file, not a folder.</summary>
    public static class InputFile
    {
        /// <param name="kind">What the file is ("scene", "trace", "sweep"), for the message.</param>
        public static void Require(string path, string kind)
        {
            if (Directory.Exists(path)) throw new SimInputException(path, 0, "", "is a folder, not a " + kind + " file");
            if (!File.Exists(path)) throw new SimInputException(path, 0, "", kind + " file not found");
        }
    }
}
