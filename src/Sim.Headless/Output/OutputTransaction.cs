using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Sim.Core;

namespace Sim.Headless.Output
{
    /// <summary>
    /// Output files that appear all together or not at all. Each is written to a temporary file created exclusively
    /// beside its target; <see cref="Commit"/> renames them all into place (putting back what stood there if any
    /// rename fails); disposing without a commit, or a SIGINT or SIGTERM (<see cref="AbandonAll"/>), deletes the
    /// temporary files and any folder the transaction made. A target that exists and is not a regular file (a
    /// folder, a device such as /dev/full, a pipe, a link) is refused before anything is written.
    /// </summary>
    public sealed class OutputTransaction : IDisposable
    {
        /// <summary>Serialises commits and rollbacks with the signal handlers, so a signal sees all outputs or none.</summary>
        static readonly object Gate = new object();
        static readonly HashSet<OutputTransaction> Live = new HashSet<OutputTransaction>();

        readonly string? _directory;
        readonly List<(string TempPath, string FinalPath, string Flag)> _files = new List<(string, string, string)>();
        readonly List<string> _createdFolders = new List<string>();
        bool _finished;

        /// <param name="directory">The folder <see cref="Create"/> writes into (<c>--out</c>); null when every file has its own path.</param>
        public OutputTransaction(string? directory = null)
        {
            if (directory != null)
            {
                _directory = FullPath(directory, "--out");
                if (File.Exists(_directory) || (PathKind.Of(_directory) == PathKindValue.Other && !Directory.Exists(_directory)))
                    throw new SimInputException("--out", 0, "", "'" + directory + "' exists and is not a folder; name a folder (it is created if missing)");
            }
            lock (Gate) Live.Add(this);
        }

        /// <summary>Opens <paramref name="fileName"/> in the output folder for writing under a temporary name.</summary>
        public FileStream Create(string fileName) => CreateAt(Path.Combine(_directory ?? throw new InvalidOperationException("no output folder"), fileName), "--out");

        /// <summary>Opens the file at <paramref name="path"/> for writing under a temporary name beside it; <paramref name="flag"/> names it in errors.</summary>
        public FileStream CreateAt(string path, string flag)
        {
            string finalPath = FullPath(path, flag);
            PathKindValue kind = PathKind.Of(finalPath);
            if (kind != PathKindValue.Missing && kind != PathKindValue.RegularFile)
                throw new SimInputException(flag, 0, "", "'" + path + "' exists and is not a regular file (" + (kind == PathKindValue.Folder ? "a folder" : "a device, pipe or link") + "); name a new file or a regular one to replace");
            string folder = Path.GetDirectoryName(finalPath)!;
            lock (Gate)
            {
                if (_finished) throw new OperationCanceledException("the outputs were abandoned");
                MakeFolder(folder, flag);
                // The random part only keeps names apart (CreateNew refuses whatever stands there): Random.Shared, seeded
                // by the kernel, rather than the cryptographic generator, whose first use loads and starts OpenSSL.
                string tempPath = Path.Combine(folder, "." + Path.GetFileName(finalPath) + "." + Environment.ProcessId + "." + Random.Shared.Next().ToString("X8", CultureInfo.InvariantCulture) + ".tmp");
                try
                {
                    // CreateNew: never follows or reuses whatever stands at the temporary name.
                    var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                    _files.Add((tempPath, finalPath, flag));
                    return stream;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new OutputWriteException(path, e);
                }
            }
        }

        /// <summary>Renames every file into place, or, when one rename fails, leaves every target as it was.</summary>
        public void Commit()
        {
            lock (Gate)
            {
                if (_finished) throw new OperationCanceledException("the outputs were abandoned");
                var backups = new List<(string FinalPath, string BackupPath)>();
                var placed = new List<string>();
                string current = "";
                try
                {
                    foreach (var (tempPath, finalPath, flag) in _files)
                    {
                        current = finalPath;
                        PathKindValue kind = PathKind.Of(finalPath);
                        if (kind != PathKindValue.Missing && kind != PathKindValue.RegularFile)
                            throw new SimInputException(flag, 0, "", "'" + finalPath + "' appeared during the run and is not a regular file; nothing was written");
                        if (kind == PathKindValue.Missing) continue;
                        string backup = tempPath + ".old";
                        File.Move(finalPath, backup);
                        backups.Add((finalPath, backup));
                    }
                    foreach (var (tempPath, finalPath, _) in _files)
                    {
                        current = finalPath;
                        File.Move(tempPath, finalPath);
                        placed.Add(finalPath);
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    foreach (string finalPath in placed) TryDelete(finalPath);
                    foreach (var (finalPath, backup) in backups) TryMove(backup, finalPath);
                    throw new OutputWriteException(current, e);
                }
                foreach (var (_, backup) in backups) TryDelete(backup);
                _finished = true;
                Live.Remove(this);
            }
        }

        public void Dispose()
        {
            lock (Gate)
            {
                Rollback();
                Live.Remove(this);
            }
        }

        /// <summary>Deletes the temporary files and made folders of every uncommitted transaction (on SIGINT or SIGTERM); later commits fail.</summary>
        public static void AbandonAll()
        {
            lock (Gate)
            {
                foreach (OutputTransaction transaction in Live) transaction.Rollback();
                Live.Clear();
            }
        }

        void Rollback()
        {
            if (_finished) return;
            _finished = true;
            foreach (var (tempPath, _, _) in _files) TryDelete(tempPath);
            for (int i = _createdFolders.Count - 1; i >= 0; i--)
                try
                {
                    Directory.Delete(_createdFolders[i]);
                }
                catch (IOException)
                {
                    return; // not empty: something else wrote there
                }
        }

        /// <summary>Creates <paramref name="folder"/> and its missing parents, remembering them so a rollback removes them.</summary>
        void MakeFolder(string folder, string flag)
        {
            var missing = new List<string>();
            for (string? f = folder; f != null && !Directory.Exists(f); f = Path.GetDirectoryName(f))
            {
                if (PathKind.Of(f) != PathKindValue.Missing)
                    throw new SimInputException(flag, 0, "", "'" + f + "' exists and is not a folder, so nothing can be written under it");
                missing.Add(f);
            }
            for (int i = missing.Count - 1; i >= 0; i--)
            {
                try
                {
                    Directory.CreateDirectory(missing[i]);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new OutputWriteException(missing[i], e);
                }
                _createdFolders.Add(missing[i]);
            }
        }

        static string FullPath(string path, string flag)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new SimInputException(flag, 0, "", "an empty path; name a file or folder");
            try
            {
                return Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new SimInputException(flag, 0, "", "'" + path + "' is not a usable path (" + e.Message + ")");
            }
        }

        static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Best effort: a rollback never hides the error that caused it.
            }
        }

        static void TryMove(string from, string to)
        {
            try
            {
                File.Move(from, to);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Best effort, as above.
            }
        }
    }
}
