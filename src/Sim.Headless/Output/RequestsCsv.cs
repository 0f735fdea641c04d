using System.IO;
using Sim.Core.Metrics;

namespace Sim.Headless.Output
{
    /// <summary>requests.csv: one row per request in arrival order; times in seconds, empty when not reached.</summary>
    public static class RequestsCsv
    {
        public const string Header = "request_id,replica,status,arrival_s,prompt_tokens,output_tokens,queue_s,ttft_s,e2e_s,tbt_mean_s,tbt_max_s,preemptions,finish_s,prefix_hit_tokens,decode_replica";

        public static void Write(Stream stream, RequestLog log)
        {
            using var csv = new CsvLineWriter(stream, Header);
            foreach (RequestRecord record in log.Records)
            {
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
