using System;
using System.Collections.Generic;
using System.IO;
using Sim.Core.Policies;
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

        /// <param name="traces">Trace files already read by earlier runs (studies); the file is read again when null.</param>
        public static SceneWorkload Open(Scene scene, TraceCache? traces = null)
        {
            if (scene.TracePath == null)
            {
                SyntheticWorkload synthetic = scene.Synthetic!;
                long count = scene.MaxRequests.HasValue && scene.MaxRequests.Value < synthetic.Requests ? scene.MaxRequests.Value : synthetic.Requests;
                var generated = WithSceneAdditions(TraceTransforms.Apply(SyntheticTrace.Generate(synthetic, scene.Seed), scene.MaxRequests, scene.TimeScale), scene);
                return new SceneWorkload(generated, count, "<synthetic>");
            }
            IEnumerable<TraceRequest> read = traces == null ? TraceFile.Read(scene.TracePath, scene.TraceFormat) : traces.Read(scene.TracePath, scene.TraceFormat, scene.MaxRequests);
            var requests = new List<TraceRequest>(ExpectedRequests(scene));
            requests.AddRange(WithSceneAdditions(TraceTransforms.Apply(read, scene.MaxRequests, scene.TimeScale), scene));
            return new SceneWorkload(requests, requests.Count, scene.TracePath);
        }

        /// <summary>
        /// Room for the first N requests when the scene takes only those, capped by the rows the file could hold: the list is then
        /// made once, not grown by doubling, each larger array a new block of the large-object heap (whose growth the collector
        /// answers with a full collection).
        /// </summary>
        static int ExpectedRequests(Scene scene)
        {
            var file = new FileInfo(scene.TracePath!);
            if (!scene.MaxRequests.HasValue || !file.Exists) return 0;
            return (int)Math.Min(scene.MaxRequests.Value, file.Length / ShortestRowBytes);
        }

        // A real trace's row (a time, two counts, a line feed) is seldom shorter; a file of shorter rows only grows the list.
        const int ShortestRowBytes = 16;

        /// <summary>The scene's additions to each request: prefix hashes from its shared-prefix model, classes from its priority rule.</summary>
        static IEnumerable<TraceRequest> WithSceneAdditions(IEnumerable<TraceRequest> requests, Scene scene)
        {
            IEnumerable<TraceRequest> hashed = scene.SharedPrefix == null ? requests : scene.SharedPrefix.Apply(requests, scene.Seed);
            return scene.PriorityRule == null ? hashed : WithPriorities(hashed, scene.PriorityRule);
        }

        static IEnumerable<TraceRequest> WithPriorities(IEnumerable<TraceRequest> requests, PriorityRule rule)
        {
            foreach (TraceRequest request in requests)
            {
                TraceRequest classified = request;
                classified.Priority = rule.ClassOf(request.PromptTokens, request.OutputTokens);
                yield return classified;
            }
        }
    }
}
