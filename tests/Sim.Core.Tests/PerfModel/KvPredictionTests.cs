using System.Collections.Generic;
using NUnit.Framework;
using Sim.Core.PerfModel;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.PerfModel
{
    public class KvPredictionTests
    {
        [Test]
        public void PromptsRunOnTheAuxiliaryWithTheProjectionAndDecodesOnTheBase()
        {
            // Base 10 ms + 1 ms a token, auxiliary 2 ms + 0.1 ms a token, projection 0.05 ms a prompt token.
            var model = new KvPredictionPerfModel(new LinearPerfModel(0.010, 0.001), new LinearPerfModel(0.002, 0.0001), 0.00005);
            Assert.That(model.IterationTimeS(new[] { new SequenceWork(100, 0) }), Is.EqualTo(0.002 + 0.010 + 0.005).Within(1e-15));
            Assert.That(model.IterationTimeS(new[] { new SequenceWork(1, 50), new SequenceWork(1, 70) }), Is.EqualTo(0.010 + 0.002).Within(1e-15));
            // Mixed: a 60-token chunk after 40 cached tokens and one decode: both passes, one after the other.
            Assert.That(model.IterationTimeS(new[] { new SequenceWork(60, 40), new SequenceWork(1, 70) }),
                Is.EqualTo((0.002 + 0.006 + 0.003) + (0.010 + 0.001)).Within(1e-15));
        }

        [Test]
        public void TheProjectionCostsAuxTimesBaseKvWidthPerBaseLayer()
        {
            // Llama-2-7B (32 KV heads x 128 x K,V = 8192 per layer) to Llama-2-70B (8 x 128 x 2 = 2048, 80 layers) on
            // two A100s (312 TFLOPs, 0.73 GEMM efficiency): 80 x 8192 x 2048 = 1.342e9 FLOPs a token over 455.5 TFLOPs/s.
            string catalog = TestScenes.CatalogDir;
            double s = KvPredictionPerfModel.ProjectionSPerToken(SpecCatalog.LoadModel(catalog, "llama-2-70b"), SpecCatalog.LoadModel(catalog, "llama-2-7b"),
                SpecCatalog.LoadHardware(catalog, "a100-80g"), gpus: 2);
            Assert.That(s, Is.EqualTo(80.0 * 8192 * 2048 / (2 * 312e12 * 0.73)).Within(1e-18));
            Assert.That(s, Is.EqualTo(2.946e-6).Within(0.001e-6));
        }

        [Test]
        public void TtftIsTheAuxiliaryPrefillPlusTheProjection()
        {
            // Base Llama-2-7B timed by the linear model (10 ms + 1 ms a token); Llama-2-7B also as the auxiliary,
            // timed by the roofline on the same A100. Prompt 300, output 4: first token after the auxiliary's
            // prefill and 300 projected tokens; then 3 base decodes of 11 ms.
            Scene scene = TestScenes.Small();
            scene.KvPrediction = new KvPrediction { AuxiliaryId = "llama-2-7b", AuxiliaryModel = scene.Model, AccuracyRetention = 0.9 };
            List<TraceRequest> requests = TestScenes.Requests(TestScenes.Request(0, 0, 300, 4));
            var sim = new Simulation(scene, requests, 1, "test", perfModel: new LinearPerfModel(0.010, 0.001));
            sim.Run();
            var auxiliary = new RooflinePerfModel(scene.Model, scene.Hardware, new Parallelism(), scene.Hardware.Efficiency, scene.IterationOverheadS);
            double ttftS = auxiliary.IterationTimeS(new[] { new SequenceWork(300, 0) })
                + 300 * KvPredictionPerfModel.ProjectionSPerToken(scene.Model, scene.Model, scene.Hardware, 1);
            Assert.That(sim.Log[0].TtftS, Is.EqualTo(ttftS).Within(1e-12));
            Assert.That(sim.Log[0].E2eS, Is.EqualTo(ttftS + 3 * 0.011).Within(1e-12));
        }
    }
}
