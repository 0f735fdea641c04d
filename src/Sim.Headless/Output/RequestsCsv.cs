using System;
using System.IO;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>requests.csv: one row per request in arrival order; times in seconds, empty when not reached.</summary>
    public static class RequestsCsv
    {
        public const string Header = "request_id,replica,status,arrival_s,prompt_tokens,output_tokens,queue_s,ttft_s,e2e_s,tbt_mean_s,tbt_max_s,preemptions,finish_s,prefix_hit_tokens,decode_replica";

        /// <summary>
        /// Rows in a slice formatted apart (about 65 kB of text): few enough that a slice formatted twice (when a helper is
        /// held up on a busy machine) costs little, enough that taking one costs nothing beside formatting it. A log of no
        /// more is written by this thread alone.
        /// </summary>
        const int SliceRecords = 512;

        /// <summary>Threads formatting rows: the cores, up to four (the file's writes, on this thread, are the next limit).</summary>
        const int MostThreads = 4;

        public static void Write(Stream stream, RequestLog log) => Write(stream, log, Math.Min(Environment.ProcessorCount, MostThreads), SliceRecords);

        /// <summary>The rows formatted by <paramref name="threads"/> threads in slices of at most <paramref name="sliceRecords"/> rows: the same bytes whatever the two.</summary>
        internal static void Write(Stream stream, RequestLog log, int threads, int sliceRecords)
        {
            using var csv = new CsvLineWriter(stream, Header);
            CsvSliceWriter.Write(csv, log.Count, (slice, start, end) => Rows(slice, log, start, end), threads, sliceRecords);
        }

        static void Rows(CsvLineWriter csv, RequestLog log, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                ref RequestRecord record = ref log[i];
                bool completed = record.Outcome == RequestOutcome.Completed;
                csv.Field(record.Id);
                csv.Field(record.Replica);
                csv.Field(completed ? "completed" : "rejected");
                csv.Field(record.ArrivalS);
                csv.Field(record.PromptTokens);
                csv.Field(record.OutputTokens);
                csv.Field(completed ? record.QueueS : double.NaN);
                csv.Field(completed ? record.TtftS : double.NaN);
                csv.Field(completed ? record.E2eS : double.NaN);
                csv.Field(completed ? record.MeanTbtS : double.NaN);
                csv.Field(completed ? record.MaxTbtS : double.NaN);
                csv.Field(record.Preemptions);
                csv.Field(record.FinishS);
                csv.Field(record.PrefixHitTokens);
                csv.Field(record.DecodeReplica);
                csv.EndLine();
            }
        }
    }
}
