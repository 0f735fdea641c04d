using System;
using System.IO;
using NUnit.Framework;
using Sim.Core;

namespace Sim.Core.Tests
{
    public class PageHintTests
    {
        [Test]
        public void Populating_leaves_every_element_as_it_was()
        {
            long[] values = PageHint.AllocatePinned<long>(100_000);
            for (int i = 0; i < values.Length; i++) values[i] = i * 7919L;
            PageHint.Populate(values, 1_000, 90_000);
            for (int i = 0; i < values.Length; i++) Assert.That(values[i], Is.EqualTo(i * 7919L));
        }

        [Test]
        public void Populating_a_fresh_array_maps_its_pages_without_a_write()
        {
            Assume.That(OperatingSystem.IsLinux(), "the hint is Linux's madvise");
            const int Mib = 1 << 20;
            // A fresh array of a type without references, not zeroed: its pages are not mapped until written.
            long[] values = PageHint.AllocatePinned<long>(96 * Mib / sizeof(long));
            long before = ResidentBytes();
            PageHint.Populate(values, 0, values.Length);
            if (!PageHint.Enabled) Assert.Ignore("this kernel lacks MADV_POPULATE_WRITE (Linux 5.14)");
            long after = ResidentBytes();
            GC.KeepAlive(values);
            Assert.That(after - before, Is.GreaterThan(80L * Mib), "resident memory grew by the array's pages");
        }

        static long ResidentBytes()
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Substring(6).Trim().Split(' ')[0]) * 1024;
            throw new InvalidOperationException("no VmRSS in /proc/self/status");
        }
    }
}
