using System.Collections.Generic;
using Sim.Core.PerfModel;
using Sim.Core.Scenes;
using Sim.Core.Trace;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Support
{
    /// <summary>Scenes and traces built in code for tests, with specs from the repository's catalog.</summary>
    internal static class TestScenes
    {
        public static string CatalogDir => Repository.PathOf("scenes");

        /// <summary>The MoE tests' model and GPU, from the shipped catalog.</summary>
        public static ModelSpec Mixtral => SpecCatalog.LoadModel(CatalogDir, "mixtral-8x7b");

        public static HardwareSpec A100 => SpecCatalog.LoadHardware(CatalogDir, "a100-80g");

        /// <summary>One Llama-2-7B replica on an A100 with invariant checks on; callers adjust the rest.</summary>
        public static Scene Small(long? kvCapacityTokens = null)
        {
            return new Scene
            {
                Name = "test",
                SourcePath = "test.yaml",
                ModelId = "llama-2-7b",
                HardwareId = "a100-80g",
                Model = SpecCatalog.LoadModel(CatalogDir, "llama-2-7b"),
                Hardware = SpecCatalog.LoadHardware(CatalogDir, "a100-80g"),
                KvCapacityTokens = kvCapacityTokens,
                CheckInvariants = true,
            };
        }

        /// <summary>Every scheduling policy.</summary>
        public static readonly string[] Policies = { "vllm", "vllm-v0", "sarathi", "orca", "static", "batchllm" };

        /// <summary>
        /// One of three token budgets: 0, chunks of 512 in 4,096 tokens; 1, whole prompts in 2,048 (without chunked prefill every
        /// prompt must fit one batch); 2, chunks of 16 in 24.
        /// </summary>
        public static void SetBudget(Scene scene, int kind)
        {
            scene.MaxBatchTokens = new[] { 4096, 2048, 24 }[kind];
            scene.ChunkTokens = new[] { 512, 2048, 16 }[kind];
            scene.ChunkedPrefill = kind != 1;
        }

        public static TraceRequest Request(long id, double arrivalS, int promptTokens, int outputTokens) =>
            new TraceRequest { Id = id, ArrivalS = arrivalS, PromptTokens = promptTokens, OutputTokens = outputTokens };

        public static List<TraceRequest> Requests(params TraceRequest[] requests) => new List<TraceRequest>(requests);
    }
}
