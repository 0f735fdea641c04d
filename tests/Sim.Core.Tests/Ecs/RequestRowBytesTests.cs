using NUnit.Framework;
using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Tests.Ecs
{
    /// <summary>The bytes a live request's row takes (docs/ARCHITECTURE.md, "What a request costs in memory").</summary>
    public class RequestRowBytesTests
    {
        [Test]
        public void PrefixStateHasNoPadding()
        {
            // An 8-byte key and four 4-byte counts: 24 bytes; with the key between ints it was padded to 32.
            Assert.That(ComponentType<PrefixState>.Value.SizeBytes, Is.EqualTo(8 + 4 * 4));
        }

        [Test]
        public void ARequestRowIs176Bytes()
        {
            // Worked out from the fields: the entity (id, version) 8; RequestInfo id 8, arrival 8, three ints 12, the hash
            // array's reference 8, padded to 40; RequestProgress six ints and two bytes, padded to 28; RequestTimes four
            // doubles 32; KvPageTable two references and two ints 24; PrefixState 24; QueueLink two entities and a byte, padded to 20.
            int row = 8 + ComponentType<RequestInfo>.Value.SizeBytes + ComponentType<RequestProgress>.Value.SizeBytes +
                      ComponentType<RequestTimes>.Value.SizeBytes + ComponentType<KvPageTable>.Value.SizeBytes +
                      ComponentType<PrefixState>.Value.SizeBytes + ComponentType<QueueLink>.Value.SizeBytes;
            Assert.That(row, Is.EqualTo(8 + 40 + 28 + 32 + 24 + 24 + 20));
            Assert.That(ComponentType<RequestInfo>.Value.SizeBytes, Is.EqualTo(40));
            Assert.That(ComponentType<QueueLink>.Value.SizeBytes, Is.EqualTo(20));
        }
    }
}
