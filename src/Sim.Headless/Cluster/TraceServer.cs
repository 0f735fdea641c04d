using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;

namespace Sim.Headless.Cluster
{
    /// <summary>The client's side of trace shipping: each trace file hashed once, then served to workers by hash in chunks.</summary>
    public sealed class TraceServer : ITraceSource
    {
        readonly ConcurrentDictionary<string, string> _pathByHash = new ConcurrentDictionary<string, string>();
        readonly ConcurrentDictionary<string, (string Sha256, long Bytes)> _hashByPath = new ConcurrentDictionary<string, (string, long)>();

        long _servedBytes;

        /// <summary>Bytes sent to workers so far.</summary>
        public long ServedBytes => System.Threading.Interlocked.Read(ref _servedBytes);

        /// <summary>Fills in the job's trace fields for the trace at <paramref name="path"/>.</summary>
        public void Describe(PointJob job, string path)
        {
            string full = Path.GetFullPath(path);
            var (sha256, bytes) = _hashByPath.GetOrAdd(full, p =>
            {
                using var file = File.OpenRead(p);
                return (Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant(), file.Length);
            });
            _pathByHash.TryAdd(sha256, full);
            job.TraceSha256 = sha256;
            job.TraceBytes = bytes;
            job.TraceFileName = Path.GetFileName(full);
        }

        public async Task<byte[]> Chunk(string sha256, long offset, int length)
        {
            if (!_pathByHash.TryGetValue(sha256, out string? path)) throw new FileNotFoundException("no trace with hash " + sha256 + " in this sweep");
            if (length < 0 || length > WorkerTraceFiles.ChunkBytes) throw new ArgumentOutOfRangeException(nameof(length));
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            file.Position = offset;
            var buffer = new byte[Math.Max(0, (int)Math.Min(length, file.Length - offset))];
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await file.ReadAsync(buffer.AsMemory(read));
                if (n == 0) break;
                read += n;
            }
            System.Threading.Interlocked.Add(ref _servedBytes, read);
            return read == buffer.Length ? buffer : buffer.AsSpan(0, read).ToArray();
        }
    }
}
