using System;
using System.Collections.Generic;
using System.IO;

namespace Sim.Headless.Output
{
    /// <summary>
    /// Output files that appear all together or not at all: each is written to a temporary name in the
    /// output folder and renamed into place only by <see cref="Commit"/>; disposing without a commit deletes them.
    /// </summary>
    public sealed class OutputTransaction : IDisposable
    {
        readonly string _directory;
        readonly List<(string TempPath, string FinalPath)> _files = new List<(string, string)>();
        bool _committed;

        public OutputTransaction(string directory)
        {
            _directory = directory;
            Directory.CreateDirectory(directory);
        }

        /// <summary>Opens <paramref name="fileName"/> for writing under a temporary name.</summary>
        public FileStream Create(string fileName)
        {
            string finalPath = Path.Combine(_directory, fileName);
            string tempPath = Path.Combine(_directory, "." + fileName + "." + Environment.ProcessId + ".tmp");
            var stream = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            _files.Add((tempPath, finalPath));
            return stream;
        }

        public void Commit()
        {
            foreach (var (tempPath, finalPath) in _files)
                File.Move(tempPath, finalPath, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed) return;
            foreach (var (tempPath, _) in _files)
                if (File.Exists(tempPath)) File.Delete(tempPath);
        }
    }
}
