using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Headless.Studies;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// A worker's side of a point: the scene text written once under its hash (keeping the file's name, which names the
    /// scene), loaded with the point's overrides, pointed at the cached trace, then run by the local point runner.
    /// </summary>
    public sealed class PointRunner
    {
        readonly string _scenesDir;
        readonly WorkerTraceFiles _traces;

        public PointRunner(WorkerOptions options, WorkerTraceFiles traces)
        {
            _scenesDir = Path.Combine(options.CacheDir, "scenes");
            _traces = traces;
        }

        public async Task<PointResult> Run(PointJob job, ITraceSource source)
        {
            string? tracePath = job.TraceSha256.Length > 0 ? await _traces.PathOf(job, source) : null;
            Scene scene = SceneLoader.Load(ScenePath(job), job.Overrides);
            if (tracePath != null)
            {
                scene.TracePath = tracePath;
                if (job.TraceReplacesWorkload) scene.Synthetic = null;
            }
            if (job.TraceFormat != null) scene.TraceFormat = SceneLoader.ParseFormat(job.TraceFormat);
            if (job.MaxRequests.HasValue) scene.MaxRequests = job.MaxRequests.Value;
            if (job.Seed.HasValue) scene.Seed = (ulong)job.Seed.Value;
            if (job.TimeScale.HasValue) scene.TimeScale = job.TimeScale.Value;
            // A whole replay: a thread of its own (not the grain's scheduler, which StartNew would otherwise use), so the
            // silo's threads stay free for messages and liveness probes and a worker's points run side by side.
            return await Task.Factory.StartNew(() => job.SummaryOnly ? new PointResult { Summary = SceneRun.Summarize(scene, "cpu") } : PointResult.Run(scene),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        string ScenePath(PointJob job)
        {
            string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(job.SceneText))).ToLowerInvariant();
            string path = Path.Combine(_scenesDir, hash, Path.GetFileName(job.SceneFileName));
            if (File.Exists(path)) return path;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".part";
            File.WriteAllText(temp, job.SceneText);
            File.Move(temp, path, overwrite: true);
            return path;
        }
    }
}
