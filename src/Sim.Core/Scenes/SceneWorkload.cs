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
                var generated = WithPrefixes(TraceTransforms.Apply(SyntheticTrace.Generate(synthetic, scene.Seed), scene.MaxRequests, scene.TimeScale), scene);
                return new SceneWorkload(generated, count, "<synthetic>");
            }
            var requests = new List<TraceRequest>(WithPrefixes(TraceTransforms.Apply(TraceFile.Read(scene.TracePath, scene.TraceFormat), scene.MaxRequests, scene.TimeScale), scene));
            return new SceneWorkload(requests, requests.Count, scene.TracePath);
        }

        static IEnumerable<TraceRequest> WithPrefixes(IEnumerable<TraceRequest> requests, Scene scene) =>
            scene.SharedPrefix == null ? requests : scene.SharedPrefix.Apply(requests, scene.Seed);
    }
}
