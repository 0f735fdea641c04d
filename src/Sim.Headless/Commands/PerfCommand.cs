using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Threading;
using Sim.Core;
using Sim.Core.PerfModel;
using Sim.Headless.Output;
using Spectre.Console;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// <c>sim perf</c>: the time of each operator of one decoder layer on one GPU of the TP group, from the roofline or measured
    /// tables; with <c>--iteration</c>, the whole iteration (all layers, LM head, hand-offs, overhead) for checking against measured steps.
    /// </summary>
    public sealed class PerfCommand : Command<PerfCommand.Settings>
    {
        public sealed class Settings : SpecSettings
        {
            [CommandOption("--tp <N>")]
            [Description("Tensor parallel degree (default 1).")]
            public int Tp { get; set; } = 1;

            [CommandOption("--tokens <LIST>")]
            [Description("Comma-separated batch sizes. Without --context each N is one prefill of N new tokens; with --context C it is N decodes, each after C cached tokens.")]
            public string Tokens { get; set; } = "1,8,64,512,4096";

            [CommandOption("--context <N>")]
            [Description("Cached tokens per decoding sequence (0: prefill batches).")]
            public int Context { get; set; }

            [CommandOption("--perf-model <MODEL>")]
            [Description("roofline (default) or profile: measured tables from --profiles, the roofline for the operators they lack.")]
            public string PerfModel { get; set; } = "roofline";

            [CommandOption("--profiles <DIR>")]
            [Description("Folder of Vidur-format tables (mlp.csv or <model>_mlp.csv, attention.csv, all_reduce*.csv) for --perf-model profile.")]
            public string? Profiles { get; set; }

            [CommandOption("--iteration")]
            [Description("The whole iteration instead of one layer: each operator over all layers, then lm_head, pipeline_handoff, overhead and iteration (the total).")]
            public bool Iteration { get; set; }

            [CommandOption("--overhead-ms <X>")]
            [Description("With --iteration: fixed cost of an iteration, as a scene's perf.iteration_overhead_ms (default 0).")]
            public double OverheadMs { get; set; }

            [CommandOption("--csv")]
            [Description("Print CSV (num_tokens,op,time_ms) instead of a table.")]
            public bool Csv { get; set; }
        }

        public override int Execute(Settings settings)
        {
            if (settings.Tp < 1) throw new SimInputException("--tp", 0, "", "must be at least 1");
            if (settings.Context < 0) throw new SimInputException("--context", 0, "", "must not be negative");
            if (settings.OverheadMs < 0 || double.IsNaN(settings.OverheadMs)) throw new SimInputException("--overhead-ms", 0, "", "must not be negative");
            if (settings.OverheadMs != 0 && !settings.Iteration) throw new SimInputException("--overhead-ms", 0, "", "only read with --iteration");
            int[] tokens = ParseTokens(settings.Tokens);
            var (spec, gpu) = settings.LoadSpecs();
            var parallelism = new Parallelism { Tp = settings.Tp };
            double overheadS = settings.OverheadMs / 1e3;
            Func<SequenceWork[], IReadOnlyList<OperatorTime>> breakdown;
            switch (settings.PerfModel)
            {
                case "roofline":
                    if (settings.Profiles != null) throw new SimInputException("--profiles", 0, "", "only read with --perf-model profile");
                    var roofline = new RooflinePerfModel(spec, gpu, parallelism, gpu.Efficiency, overheadS);
                    breakdown = settings.Iteration
                        ? batch => IterationBreakdown(spec.Layers, roofline.LayerBreakdown(batch), roofline.OutsideLayersBreakdown(batch), roofline.IterationTimeS(batch))
                        : batch => roofline.LayerBreakdown(batch);
                    break;
                case "profile":
                    if (settings.Profiles == null) throw new SimInputException("--profiles", 0, "", "required with --perf-model profile: the folder of measured tables");
                    var profile = ProfilePerfModel.Load(settings.Profiles, spec, gpu, parallelism, gpu.Efficiency, overheadS);
                    if (profile.FilledOperators.Count > 0)
                        Console.Error.WriteLine("from the roofline (not in the tables): " + string.Join(", ", profile.FilledOperators));
                    breakdown = settings.Iteration
                        ? batch => IterationBreakdown(spec.Layers, profile.LayerBreakdown(batch), profile.OutsideLayersBreakdown(batch), profile.IterationTimeS(batch))
                        : batch => profile.LayerBreakdown(batch);
                    break;
                default:
                    throw new SimInputException("--perf-model", 0, settings.PerfModel, "unknown perf model; use roofline or profile");
            }

            var table = new Table().AddColumns("num_tokens", "op", "time_ms");
            if (settings.Csv) Console.Out.WriteLine("num_tokens,op,time_ms");
            foreach (int n in tokens)
            {
                SequenceWork[] batch = settings.Context == 0 ? new[] { new SequenceWork(n, 0) } : Decodes(n, settings.Context);
                foreach (OperatorTime op in breakdown(batch))
                {
                    string ms = (op.TimeS * 1e3).ToString("R", CultureInfo.InvariantCulture);
                    if (settings.Csv) Console.Out.WriteLine(n.ToString(CultureInfo.InvariantCulture) + "," + op.Op + "," + ms);
                    else table.AddRow(n.ToString(CultureInfo.InvariantCulture), op.Op, (op.TimeS * 1e3).ToString("F4", CultureInfo.InvariantCulture));
                }
            }
            if (!settings.Csv) Terminal.Stdout().Write(table);
            return 0;
        }

        /// <summary>Each operator over all layers, the parts outside them, and the perf model's own total for the iteration last.</summary>
        static IReadOnlyList<OperatorTime> IterationBreakdown(int layers, IReadOnlyList<OperatorTime> layer, IReadOnlyList<OperatorTime> outside, double iterationS)
        {
            var rows = new List<OperatorTime>(layer.Count + outside.Count + 1);
            foreach (OperatorTime op in layer) rows.Add(new OperatorTime(op.Op, layers * op.TimeS));
            rows.AddRange(outside);
            rows.Add(new OperatorTime("iteration", iterationS));
            return rows;
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
