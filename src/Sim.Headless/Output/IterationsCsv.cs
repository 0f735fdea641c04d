using System;
using System.IO;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>iterations.csv: one row per replica iteration, streamed as the run goes.</summary>
    public sealed class IterationsCsv : IIterationSink, IDisposable
    {
        public const string Header = "replica,iteration,start_s,duration_s,num_seqs,prefill_tokens,decode_tokens,preempted,kv_used_pages,kv_total_pages,kv_utilization,waiting,running,transfer_s";

        readonly CsvLineWriter _csv;
        readonly KvUtilizationTexts _utilization = new KvUtilizationTexts();

        public IterationsCsv(Stream stream)
        {
            _csv = new CsvLineWriter(stream, Header);
        }

        public void OnIteration(in IterationRecord iteration)
        {
            _csv.Field(iteration.Replica);
            _csv.Field(iteration.Iteration);
            _csv.Field(iteration.StartS);
            _csv.Field(iteration.DurationS);
            _csv.Field(iteration.NumSeqs);
            _csv.Field(iteration.PrefillTokens);
            _csv.Field(iteration.DecodeTokens);
            _csv.Field(iteration.Preempted);
            _csv.Field(iteration.KvUsedPages);
            _csv.Field(iteration.KvTotalPages);
            if (_utilization.Keeps(iteration.KvUsedPages, iteration.KvTotalPages)) _csv.Field(_utilization.Of(iteration.KvUsedPages));
            else _csv.Field((double)iteration.KvUsedPages / iteration.KvTotalPages);
            _csv.Field(iteration.Waiting);
            _csv.Field(iteration.Running);
            _csv.Field(iteration.TransferS);
            _csv.EndLine();
        }

        public void Dispose() => _csv.Dispose();
    }
}
