using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Sim.Core.Scenes;
using Sim.Headless.Output;
using Sim.Headless.Studies;

namespace Sim.Cluster.Tests
{
    /// <summary>A small scene with a trace file of <c>requests</c> lines beside it, a sweep over it, and its outputs computed locally to compare against.</summary>
    internal sealed class SweepFixture
    {
        public SweepFixture(string dir, int requests, string grid)
        {
            Dir = dir;
            Directory.CreateDirectory(dir);
            var trace = new StringBuilder("arrived_at,num_prefill_tokens,num_decode_tokens\n");
            for (int i = 0; i < requests; i++) trace.Append((i * 0.1).ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(300 + 97 * i % 900).Append(',').Append(10 + 31 * i % 150).Append('\n');
            TracePath = Path.Combine(dir, "trace.csv");
            File.WriteAllText(TracePath, trace.ToString());
            ScenePath = Path.Combine(dir, "scene.yaml");
            File.WriteAllText(ScenePath, "name: s\nmodel: llama-2-7b\nhardware: a100-80g\nkv: { capacity_tokens: 8000 }\nworkload:\n  trace: trace.csv\n");
            SweepPath = Path.Combine(dir, "sweep.yaml");
            File.WriteAllText(SweepPath, "scene: scene.yaml\nset: { workload.requests: " + requests + " }\ngrid:\n" + grid);
            Sweep = SweepFile.Read(SweepPath);
            Points = SweepPoint.AllOf(Sweep);
            Scenes = SweepScenes.Load(Sweep, Points);
        }

        public string Dir { get; }

        public string TracePath { get; }

        public string ScenePath { get; }

        public string SweepPath { get; }

        public SweepFile Sweep { get; }

        public List<SweepPoint> Points { get; }

        public List<Scene> Scenes { get; }

        /// <summary>sweep.csv and the plots, by file name, as <c>sim sweep</c> writes them for these results.</summary>
        public Dictionary<string, byte[]> Outputs(IReadOnlyList<PointResult> results, string name)
        {
            string outDir = Path.Combine(Dir, "outputs-" + name);
            using (var outputs = new OutputTransaction(outDir))
            {
                using (Stream csv = outputs.Create("sweep.csv"))
                    SweepCsv.Write(csv, Sweep, Points, results);
                SweepPlots.Write(outputs, Sweep, Points, results);
                outputs.Commit();
            }
            return Directory.GetFiles(outDir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        }

        /// <summary>The local sweep: every point through the local point runner, in grid order.</summary>
        public PointResult[] RunLocally() => Scenes.Select(scene => PointResult.Run(scene)).ToArray();
    }
}
