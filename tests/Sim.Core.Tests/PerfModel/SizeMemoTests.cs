using System;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Sim.Core.PerfModel;

namespace Sim.Core.Tests.PerfModel
{
    public class SizeMemoTests
    {
        [Test]
        public void ThreadsKeepingTheSameSizesAtOnceAllGetTheOneValueKept()
        {
            const int Sizes = 2000, Threads = 4;
            var memo = new SizeMemo<string>();
            var got = new string[Threads][];
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                // Each thread its own order of the sizes and its own values for them.
                int[] order = Enumerable.Range(0, Sizes).OrderBy(size => (size * 7919 + t * 104729) % Sizes).ToArray();
                got[t] = new string[Sizes];
                foreach (int size in order) got[t][size] = memo.Find(size) ?? memo.Keep(size, t + ":" + size);
            });
            for (int size = 0; size < Sizes; size++)
            {
                string kept = memo.Find(size)!;
                Assert.That(kept, Does.EndWith(":" + size));
                for (int t = 0; t < Threads; t++) Assert.That(got[t][size], Is.SameAs(kept), "thread " + t + ", size " + size);
            }
            Assert.That(memo.Find(Sizes), Is.Null);
            Assert.That(memo.Find(-1), Is.Null);
        }
    }
}
