using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// A worker's traces by content hash: the first point needing one fetches it from the client in chunks, checks the
    /// hash and renames it into place; later points (and other workers sharing the folder) find it there.
    /// </summary>
    public sealed class WorkerTraceFiles
    {
        /// <summary>Well under Orleans' message size limit, large enough that a 100 MB trace is 100 calls.</summary>
        public const int ChunkBytes = 1 << 20;

        readonly string _dir;
        readonly ConcurrentDictionary<string, Lazy<Task<string>>> _fetches = new ConcurrentDictionary<string, Lazy<Task<string>>>();

        public WorkerTraceFiles(WorkerOptions options)
        {
            _dir = Path.Combine(options.CacheDir, "traces");
        }

        /// <summary>Number of traces this worker fetched (not found in its folder).</summary>
        public int Fetched { get; private set; }

        public async Task<string> PathOf(PointJob job, ITraceSource source)
        {
            string path = Path.Combine(_dir, job.TraceSha256, job.TraceFileName);
            if (File.Exists(path)) return path;
            var fetch = _fetches.GetOrAdd(job.TraceSha256, _ => new Lazy<Task<string>>(() => Fetch(job, source, path)));
            try
            {
                return await fetch.Value;
            }
            catch
            {
                _fetches.TryRemove(job.TraceSha256, out _); // let a later point try again
                throw;
            }
        }

        async Task<string> Fetch(PointJob job, ITraceSource source, string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temp = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".part";
            try
            {
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    for (long offset = 0; offset < job.TraceBytes; offset += ChunkBytes)
                    {
                        int length = (int)Math.Min(ChunkBytes, job.TraceBytes - offset);
                        byte[] chunk = await source.Chunk(job.TraceSha256, offset, length);
                        if (chunk.Length != length) throw new IOException("trace " + job.TraceSha256 + ": chunk at " + offset + " has " + chunk.Length + " bytes, not " + length);
                        hash.AppendData(chunk);
                        await file.WriteAsync(chunk);
                    }
                    string got = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
                    if (got != job.TraceSha256) throw new IOException("trace " + job.TraceFileName + ": fetched bytes hash to " + got + ", not " + job.TraceSha256);
                }
                File.Move(temp, path, overwrite: true);
                Fetched++;
                return path;
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}
