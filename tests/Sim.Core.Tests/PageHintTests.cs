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
        public void Populating_a_fresh_array_spares_its_first_writes_their_page_faults()
        {
            Assume.That(OperatingSystem.IsLinux(), "the hint is Linux's madvise");
            // A fresh array of a type without references, not zeroed: each of its pages faults at its first write unless mapped.
            long[] values = PageHint.AllocatePinned<long>(96 << 20 >> 3);
            int pages = values.Length * sizeof(long) / Environment.SystemPageSize;
            PageHint.Populate(values, 0, values.Length);
            if (!PageHint.Enabled) Assert.Ignore("this kernel lacks MADV_POPULATE_WRITE (Linux 5.14)");
            long before = ThreadMinorFaults();
            int perPage = Environment.SystemPageSize / sizeof(long);
            for (int i = 0; i < values.Length; i += perPage) values[i] = i;
            long faults = ThreadMinorFaults() - before;
            Assert.That(faults, Is.LessThan(pages / 10), "faults of " + pages + " first writes, one a page");
        }

        // This thread's minor page faults (/proc/thread-self/stat, field 10): the fields after the command name's closing parenthesis.
        static long ThreadMinorFaults()
        {
            string stat = File.ReadAllText("/proc/thread-self/stat");
            string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            return long.Parse(fields[7]);
        }
    }
}
