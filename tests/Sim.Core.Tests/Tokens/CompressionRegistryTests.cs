using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;
using Sim.Tests.Shared;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>The token-compression registry: one row per policy id, each protecting and ranking as docs/TOKENS.md's table says.</summary>
    public class CompressionRegistryTests
    {
        const float Kept = float.PositiveInfinity;

        [Test]
        public void EveryPolicyIdHasOneRowWhoseNameParsesBackToIt()
        {
            Assert.That(CompressionPolicies.Count, Is.EqualTo(Enum.GetValues(typeof(CompressionPolicy)).Length));
            for (int id = 0; id < CompressionPolicies.Count; id++)
            {
                var policy = (CompressionPolicy)id;
                Assert.That(CompressionPolicies.Parse(policy.Rule().Name), Is.EqualTo(policy));
                Assert.That(CompressionPolicies.Names[id], Is.EqualTo(policy.NameOf()));
                Assert.That(policy.ToString().ToLowerInvariant(), Is.EqualTo(policy.NameOf()), "the enum member names its row");
            }
            Assert.That(CompressionPolicies.Names, Is.EqualTo(new[] { "full", "window", "streaming", "h2o", "snapkv", "lazy", "cake", "mikv" }));
            Assert.That(() => CompressionPolicies.Parse("random"), Throws.ArgumentException.With.Message.Contains("full, window, streaming"));
        }

        /// <summary>
        /// Ten resident positions 0..9 of a sequence of 10, with 2 sinks, 3 recent tokens and a 4-position window; scores
        /// 0.5 + position, position 4 last important at step 6 with an MRI of 5 (key 5 − (9 − 6) = 2), position 5 at step 8
        /// with an MRI of 0 (key −1), the rest never important (the lowest float).
        /// </summary>
        [TestCase(CompressionPolicy.Full, new[] { Kept, Kept, Kept, Kept, Kept, Kept, Kept, Kept, Kept, Kept })]
        [TestCase(CompressionPolicy.Window, new[] { 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f })]
        [TestCase(CompressionPolicy.Streaming, new[] { Kept, Kept, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f })]
        [TestCase(CompressionPolicy.H2o, new[] { 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, Kept, Kept, Kept })]
        [TestCase(CompressionPolicy.SnapKv, new[] { 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, Kept, Kept, Kept, Kept })]
        [TestCase(CompressionPolicy.Lazy, new[] { float.MinValue, float.MinValue, float.MinValue, float.MinValue, 2f, -1f, float.MinValue, Kept, Kept, Kept })]
        [TestCase(CompressionPolicy.Cake, new[] { 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, Kept, Kept, Kept, Kept })]
        [TestCase(CompressionPolicy.Mikv, new[] { 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, Kept, Kept, Kept })]
        public void EachRuleProtectsAndRanksByItsDefinition(CompressionPolicy policy, float[] expected)
        {
            int[] positions = Enumerable.Range(0, 10).ToArray();
            float[] scores = positions.Select(p => p + 0.5f).ToArray();
            int[] lastImportant = positions.Select(p => p == 4 ? 6 : p == 5 ? 8 : -1).ToArray();
            int[] maxRecurrence = positions.Select(p => p == 4 ? 5 : 0).ToArray();
            var keys = new float[10];
            CpuBackend.Instance.TokenKeys(policy, new TokenKeyArguments(positions: 10, sinks: 2, recentTokens: 3, observationWindow: 4),
                positions, scores, lastImportant, maxRecurrence, keys);
            Assert.That(keys, Is.EqualTo(expected));
        }

        /// <summary>docs/TOKENS.md lists the registered policies, in id order, in the scene example's comment and in its policy table.</summary>
        [Test]
        public void TheDocsListEveryRegisteredPolicyInIdOrder()
        {
            string[] lines = File.ReadAllLines(Repository.PathOf("docs", "TOKENS.md"));
            string example = lines.Single(line => line.TrimStart().StartsWith("policy: ", StringComparison.Ordinal) && line.Contains("# full"));
            Assert.That(example.Substring(example.IndexOf('#') + 1).Split('|').Select(name => name.Trim()), Is.EqualTo(CompressionPolicies.Names));
            int table = Array.IndexOf(lines, "## Policies");
            string[] rows = lines.Skip(table).TakeWhile(line => !line.StartsWith("Details", StringComparison.Ordinal))
                .Select(line => Regex.Match(line, "^\\| `([a-z0-9-]+)` \\|")).Where(match => match.Success).Select(match => match.Groups[1].Value).ToArray();
            Assert.That(rows, Is.EqualTo(CompressionPolicies.Names));
        }
    }
}
