using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    public class SharedPrefixModelTests
    {
        static List<TraceRequest> Apply(SharedPrefixModel model, params TraceRequest[] requests) => model.Apply(requests, 42).ToList();

        [Test]
        public void SharedBlocksComeFirstAndEveryOtherBlockIsNew()
        {
            var model = new SharedPrefixModel { Groups = 2, PrefixTokens = 1024, Fraction = 1 };
            List<TraceRequest> hashed = Apply(model, TestScenes.Request(0, 0, 2000, 1), TestScenes.Request(1, 1, 700, 1));
            // Group g's blocks are 2g and 2g+1; own blocks are numbered from 4 in request order.
            int g0 = hashed[0].HashIds![0] / 2, g1 = hashed[1].HashIds![0] / 2;
            Assert.That(hashed[0].HashIds, Is.EqualTo(new[] { 2 * g0, 2 * g0 + 1, 4, 5 }), "2000 tokens: 4 blocks, 2 shared");
            Assert.That(hashed[1].HashIds, Is.EqualTo(new[] { 2 * g1, 6 }), "700 tokens: its one whole block of the prefix is shared");
        }

        [Test]
        public void WithoutSharingEveryBlockIsOwnAndTracesWithHashesKeepThem()
        {
            TraceRequest withHashes = TestScenes.Request(1, 1, 600, 1);
            withHashes.HashIds = new[] { 77, 78 };
            List<TraceRequest> hashed = Apply(new SharedPrefixModel { Groups = 3, PrefixTokens = 512, Fraction = 0 }, TestScenes.Request(0, 0, 1100, 1), withHashes);
            Assert.That(hashed[0].HashIds, Is.EqualTo(new[] { 3, 4, 5 }));
            Assert.That(hashed[1].HashIds, Is.EqualTo(new[] { 77, 78 }));
        }

        [Test]
        public void AnUnboundedCacheReusesThePrefixOfEveryRequestButTheFirstOfEachGroup()
        {
            // Every prompt (3000 tokens) starts with one of 5 prefixes of 1536 tokens: all but the first request of each
            // group seen reuse 1536 tokens, so hits = (N - groups seen) x 1536.
            var requests = Enumerable.Range(0, 200).Select(i => TestScenes.Request(i, i, 3000, 1)).ToArray();
            List<TraceRequest> hashed = Apply(new SharedPrefixModel { Groups = 5, PrefixTokens = 1536, Fraction = 1 }, requests);
            int groupsSeen = hashed.Select(r => r.HashIds![0]).Distinct().Count();
            var cache = new PrefixBlockCache(null);
            foreach (TraceRequest request in hashed) cache.Add(request.HashIds!, request.PromptTokens);
            Assert.That(groupsSeen, Is.EqualTo(5));
            Assert.That(cache.HitTokens, Is.EqualTo((200L - groupsSeen) * 1536));
        }

        [Test]
        public void TheSameSeedGivesTheSameHashes()
        {
            var model = new SharedPrefixModel { Groups = 4, PrefixTokens = 1024, Fraction = 0.5 };
            var requests = Enumerable.Range(0, 50).Select(i => TestScenes.Request(i, i, 1500, 1)).ToArray();
            List<TraceRequest> a = model.Apply(requests, 3).ToList(), b = model.Apply(requests, 3).ToList();
            Assert.That(a.Select(r => r.HashIds), Is.EqualTo(b.Select(r => r.HashIds)));
            int sharing = a.Count(r => r.HashIds![0] < 4 * 2);
            Assert.That(sharing, Is.InRange(15, 35), "about half of 50 share a prefix");
        }
    }
}
