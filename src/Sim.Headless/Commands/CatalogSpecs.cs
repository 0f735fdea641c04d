using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using Sim.Core;
using Sim.Core.PerfModel;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary>The flags of the commands that take a model and a GPU by id rather than a scene.</summary>
    public class SpecSettings : CommandSettings
    {
        [CommandOption("--model <ID>")]
        [Description("Model id, e.g. llama-2-7b: `sim catalog` lists them (files scenes/models/<ID>.yaml).")]
        public string Model { get; set; } = "";

        [CommandOption("--hardware <ID>")]
        [Description("GPU id, e.g. a100-80g: `sim catalog` lists them (files scenes/hardware/<ID>.yaml).")]
        public string Hardware { get; set; } = "";

        public (ModelSpec Model, HardwareSpec Gpu) LoadSpecs() => CatalogSpecs.Load(Model, Hardware);
    }

    /// <summary>A model and a GPU by the ids given in <c>--model</c> and <c>--hardware</c>, from the catalog nearest the working folder.</summary>
    internal static class CatalogSpecs
    {
        public static (ModelSpec Model, HardwareSpec Gpu) Load(string modelId, string hardwareId)
        {
            if (modelId.Length == 0) throw new SimInputException("--model", 0, "", "required, e.g. --model llama-2-7b");
            if (hardwareId.Length == 0) throw new SimInputException("--hardware", 0, "", "required, e.g. --hardware a100-80g");
            string catalog = SpecCatalog.FindCatalogDir(Directory.GetCurrentDirectory())
                ?? throw new SimInputException("scenes", 0, "", "no model and hardware catalog found (scenes/models, scenes/hardware)");
            RequireKnown("--model", modelId, SpecCatalog.ModelIds(catalog));
            RequireKnown("--hardware", hardwareId, SpecCatalog.HardwareIds(catalog));
            return (SpecCatalog.LoadModel(catalog, modelId), SpecCatalog.LoadHardware(catalog, hardwareId));
        }

        static void RequireKnown(string flag, string id, IReadOnlyList<string> known)
        {
            foreach (string candidate in known)
                if (candidate == id) return;
            throw new SimInputException(flag, 0, "", "unknown id '" + id + "'; known: " + string.Join(", ", known));
        }
    }
}
