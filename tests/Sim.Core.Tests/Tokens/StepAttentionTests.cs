using System;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Tests.Support;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>
    /// Token mode attending once a step over resident keys (the CPU resident reference standing in for a device) against
    /// the per-call kernel: the same requests, the same measures, bit for bit, under a policy that attends a window at
    /// the end of each prefill (snapkv), one that scores every prompt query (h2o, whose prefill steps need several
    /// passes) and one that quantises (mikv), on two replicas.
    /// </summary>
    public class StepAttentionTests
    {
        static Simulation Run(string policy, IComputeBackend backend) => TokenModeRun.Run(policy, 12, 1200, 40, backend);

        [TestCase("snapkv")]
        [TestCase("h2o")]
        [TestCase("mikv")]
        public void AttendingOnceAStepGivesThePerCallRun(string policy)
        {
            using Simulation perCall = Run(policy, CpuBackend.Instance);
            using Simulation resident = Run(policy, new ResidentCpuBackend());
            Assert.That(resident.Steps, Is.EqualTo(perCall.Steps));
            Assert.That(resident.Log.Records.ToArray(), Is.EqualTo(perCall.Log.Records.ToArray()));
            KvCompressionStats expected = perCall.World.GetResource<TokenStore>().Stats, actual = resident.World.GetResource<TokenStore>().Stats;
            Assert.That(actual.TokensEvicted, Is.EqualTo(expected.TokensEvicted));
            Assert.That(actual.RetainedMass.Count, Is.GreaterThan(100), "decode steps were scored");
            Assert.That(new[] { actual.RetainedMass.Count, actual.OutputError.Count }, Is.EqualTo(new[] { expected.RetainedMass.Count, expected.OutputError.Count }));
            Assert.That(new[] { actual.RetainedMass.Sum, actual.OutputError.Sum }, Is.EqualTo(new[] { expected.RetainedMass.Sum, expected.OutputError.Sum }));

            TokenStore tokens = resident.World.GetResource<TokenStore>();
            Assert.That(perCall.World.GetResource<TokenStore>().AttentionPasses, Is.EqualTo(0), "the CPU reads its own arrays");
            Assert.That(tokens.AttentionSteps, Is.GreaterThan(40).And.LessThanOrEqualTo(resident.Steps));
            // A pass brings back at most 4M probabilities. Scoring every query of a 1,200-token prompt (h2o, mikv) takes
            // 1,200 x 1,201 / 2 x 8 copies = 5.8M: two passes for such a step. A window of 32 queries never does.
            if (policy == "snapkv") Assert.That(tokens.AttentionPasses, Is.EqualTo(tokens.AttentionSteps));
            else Assert.That(tokens.AttentionPasses, Is.GreaterThan(tokens.AttentionSteps));
            // Every computed position's key went up once a copy; a sequence restarted (preempted) sends its keys again.
            long positions = 0;
            foreach (RequestRecord record in resident.Log.Records) positions += record.PromptTokens + record.OutputTokens - 1;
            Assert.That(tokens.UploadedKeyPositions, Is.GreaterThanOrEqualTo(positions * 8));
        }
    }
}
