using System;
using NUnit.Framework;
using Sim.Core.Kv;

namespace Sim.Core.Tests.Kv
{
    /// <summary>The eviction registry: one row per policy id, each scoring as its definition says.</summary>
    public class EvictionRegistryTests
    {
        [Test]
        public void EveryPolicyIdHasOneRowWhoseNameParsesBackToIt()
        {
            Assert.That(EvictionPolicies.Count, Is.EqualTo(Enum.GetValues(typeof(EvictionPolicy)).Length));
            for (int id = 0; id < EvictionPolicies.Count; id++)
            {
                var policy = (EvictionPolicy)id;
                Assert.That(EvictionPolicies.Parse(policy.Rule().Name), Is.EqualTo(policy));
                Assert.That(EvictionPolicies.Names[id], Is.EqualTo(policy.Rule().Name));
            }
            Assert.That(() => EvictionPolicies.Parse("mru"), Throws.ArgumentException.With.Message.Contains("lru, lfu, fifo"));
        }

        [Test]
        public void EachRuleScoresOneBlockByItsDefinition()
        {
            // A block last used at 30 s, cached at 10 s, used by 4 requests, its prompt 8 blocks long, predicted reused,
            // next needed by the 7th request ahead; the tier's inflation is 2.
            var block = new BlockUsage { LastAccessS = 30, CachedAtS = 10, AccessCount = 4, ChainBlocks = 8, PredictedReuse = 1, NextUseRank = 7 };
            Assert.That(EvictionPolicy.Lru.Rule().Score(block, 2), Is.EqualTo(30));
            Assert.That(EvictionPolicy.Lfu.Rule().Score(block, 2), Is.EqualTo(4));
            Assert.That(EvictionPolicy.Fifo.Rule().Score(block, 2), Is.EqualTo(10));
            Assert.That(EvictionPolicy.SizeAware.Rule().Score(block, 2), Is.EqualTo(2 + 4.0 / 8));
            Assert.That(EvictionPolicy.Predicted.Rule().Score(block, 2), Is.EqualTo(30 + 4294967296.0));
            Assert.That(EvictionPolicy.Belady.Rule().Score(block, 2), Is.EqualTo(-7));
        }
    }
}
