using System.Collections.Generic;
using Sim.Core.Trace;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// The request stream a scene asks for. A trace file is read and validated whole before the run (so a
    /// bad line stops the run before any output, and wall time excludes parsing); synthetic arrivals stream.
    /// </summary>
    public sealed class SceneWorkload
    {
        SceneWorkload(IEnumerable<TraceRequest> requests, long count, string sourceName)
        {
            Requests = requests;
            Count = count;
            SourceName = sourceName;
        }

        public IEnumerable<TraceRequest> Requests { get; }

        /// <summary>Requests the stream will yield.</summary>
        public long Count { get; }

        /// <summary>The trace path, or "&lt;synthetic&gt;".</summary>
        public string SourceName { get; }

        public static SceneWorkload Open(Scene scene)
        {
            if (scene.TracePath == null)
            {
                SyntheticWorkload synthetic = scene.Synthetic!;
                long count = scene.MaxRequests.HasValue && scene.MaxRequests.Value < synthetic.Requests ? scene.MaxRequests.Value : synthetic.Requests;
                var generated = TraceTransforms.Apply(SyntheticTrace.Generate(synthetic, scene.Seed), scene.MaxRequests, scene.TimeScale);
                return new SceneWorkload(generated, count, "<synthetic>");
            }
            var requests = new List<TraceRequest>(TraceTransforms.Apply(TraceFile.Read(scene.TracePath, scene.TraceFormat), scene.MaxRequests, scene.TimeScale));
            return new SceneWorkload(requests, requests.Count, scene.TracePath);
        }
    }
}
