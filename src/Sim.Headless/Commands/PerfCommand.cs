using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Threading;
using Sim.Core;
using Sim.Core.PerfModel;
using Sim.Headless.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim perf</c>: the roofline time of each operator of one decoder layer on one GPU of the TP group.</summary>
    public sealed class PerfCommand : Command<PerfCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandOption("--model <ID>")]
            [Description("Model id: a file scenes/models/<ID>.yaml, e.g. llama-2-7b.")]
            public string Model { get; set; } = "";

            [CommandOption("--hardware <ID>")]
            [Description("GPU id: a file scenes/hardware/<ID>.yaml, e.g. a100-80g.")]
            public string Hardware { get; set; } = "";

            [CommandOption("--tp <N>")]
            [Description("Tensor parallel degree (default 1).")]
            public int Tp { get; set; } = 1;

            [CommandOption("--tokens <LIST>")]
            [Description("Comma-separated batch sizes. Without --context each N is one prefill of N new tokens; with --context C it is N decodes, each after C cached tokens.")]
            public string Tokens { get; set; } = "1,8,64,512,4096";

            [CommandOption("--context <N>")]
            [Description("Cached tokens per decoding sequence (0: prefill batches).")]
            public int Context { get; set; }

            [CommandOption("--csv")]
            [Description("Print CSV (num_tokens,op,time_ms) instead of a table.")]
            public bool Csv { get; set; }
        }

        protected override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            if (settings.Model.Length == 0) throw new SimInputException("--model", 0, "", "required, e.g. --model llama-2-7b");
            if (settings.Hardware.Length == 0) throw new SimInputException("--hardware", 0, "", "required, e.g. --hardware a100-80g");
            if (settings.Tp < 1) throw new SimInputException("--tp", 0, "", "must be at least 1");
            if (settings.Context < 0) throw new SimInputException("--context", 0, "", "must not be negative");
            int[] tokens = ParseTokens(settings.Tokens);
            string catalog = SpecCatalog.FindCatalogDir(Directory.GetCurrentDirectory())
                ?? throw new SimInputException("scenes", 0, "", "no model and hardware catalog found (scenes/models, scenes/hardware)");
            RequireKnown("--model", settings.Model, SpecCatalog.ModelIds(catalog));
            RequireKnown("--hardware", settings.Hardware, SpecCatalog.HardwareIds(catalog));
            var model = new RooflinePerfModel(SpecCatalog.LoadModel(catalog, settings.Model), SpecCatalog.LoadHardware(catalog, settings.Hardware),
                new Parallelism { Tp = settings.Tp }, RooflineEfficiency.Default, 0);

            var table = new Table().AddColumns("num_tokens", "op", "time_ms");
            if (settings.Csv) Console.Out.WriteLine("num_tokens,op,time_ms");
            foreach (int n in tokens)
            {
                SequenceWork[] batch = settings.Context == 0 ? new[] { new SequenceWork(n, 0) } : Decodes(n, settings.Context);
                foreach (OperatorTime op in model.LayerBreakdown(batch))
                {
                    string ms = (op.TimeS * 1e3).ToString("R", CultureInfo.InvariantCulture);
                    if (settings.Csv) Console.Out.WriteLine(n.ToString(CultureInfo.InvariantCulture) + "," + op.Op + "," + ms);
                    else table.AddRow(n.ToString(CultureInfo.InvariantCulture), op.Op, (op.TimeS * 1e3).ToString("F4", CultureInfo.InvariantCulture));
                }
            }
            if (!settings.Csv) Terminal.Stdout().Write(table);
            return 0;
        }

        static void RequireKnown(string flag, string id, IReadOnlyList<string> known)
        {
            foreach (string candidate in known)
                if (candidate == id) return;
            throw new SimInputException(flag, 0, "", "unknown id '" + id + "'; known: " + string.Join(", ", known));
        }

        static SequenceWork[] Decodes(int count, int context)
        {
            var batch = new SequenceWork[count];
            for (int i = 0; i < count; i++) batch[i] = new SequenceWork(1, context);
            return batch;
        }

        static int[] ParseTokens(string list)
        {
            string[] parts = list.Split(',');
            var tokens = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!int.TryParse(parts[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out tokens[i]) || tokens[i] < 1)
                    throw new SimInputException("--tokens", 0, "", "'" + parts[i] + "' is not a whole number of tokens above 0");
            return tokens;
        }
    }
}
