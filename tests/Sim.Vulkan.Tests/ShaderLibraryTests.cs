using System;
using NUnit.Framework;

namespace Sim.Vulkan.Tests
{
    public class ShaderLibraryTests
    {
        const uint SpirvMagic = 0x07230203;

        [Test]
        public void EveryEmbeddedShaderIsSpirv()
        {
            Assert.That(ShaderLibrary.Names, Does.Contain("scale"));
            foreach (string name in ShaderLibrary.Names)
            {
                byte[] words = ShaderLibrary.Load(name);
                Assert.That(words.Length % 4, Is.EqualTo(0), name);
                Assert.That(BitConverter.ToUInt32(words, 0), Is.EqualTo(SpirvMagic), name);
            }
        }

        [Test]
        public void MissingShaderIsNamedWithThoseEmbedded()
        {
            var e = Assert.Throws<InvalidOperationException>(() => ShaderLibrary.Load("nope"));
            Assert.That(e!.Message, Does.Contain("'nope'").And.Contain("scale"));
        }
    }
}
