using System;
using System.ComponentModel;
using Sim.Core.Scenes;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary>The flags of every command that loads a scene and replays its workload: which scene, which requests, which overrides.</summary>
    public class SceneSettings : CommandSettings
    {
        [CommandArgument(0, "<SCENE>")]
        [Description("Scene YAML file.")]
        public string ScenePath { get; set; } = "";

        [CommandOption("--trace <PATH>")]
        [Description("Trace file replacing the scene's workload.")]
        public string? TracePath { get; set; }

        [CommandOption("--trace-format <FORMAT>")]
        [Description("auto, azure, mooncake or vidur.")]
        public string? TraceFormat { get; set; }

        [CommandOption("--requests <N>")]
        [Description("Replay only the first N requests.")]
        public long? Requests { get; set; }

        [CommandOption("--seed <N>")]
        [Description("Seed of the run's random draws (synthetic arrivals, router draws, shared prefixes), replacing the scene's seed: (default 42); the same scene and seed give the same outputs.")]
        public long? Seed { get; set; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a scene field by its YAML path, e.g. --set cluster.replicas=4 (repeatable).")]
        public string[] Overrides { get; set; } = Array.Empty<string>();

        /// <summary>The scene with the overrides applied, then these flags (which win over the scene's own fields).</summary>
        public Scene LoadScene()
        {
            Scene scene = SceneLoader.Load(ScenePath, Overrides);
            RunFlags.ApplyTo(scene, this);
            return scene;
        }
    }
}
