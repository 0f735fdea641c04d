using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// Every embedded shader's push constants and storage-buffer elements, read from its SPIR-V, against the C# types
    /// its kernel hands over: offsets, scalar kinds and strides. A field added, reordered or retyped on one side
    /// fails here, not as wrong numbers at run time. Needs no Vulkan device.
    /// </summary>
    public class ShaderLayoutTests
    {
        /// <summary>Per shader: the kernel whose Arguments struct fills its push constants, and the C# element type at each binding.</summary>
        static readonly Dictionary<string, (Type Kernel, Type[] Elements)> Expected = new Dictionary<string, (Type, Type[])>
        {
            ["attention"] = (typeof(AttentionKernel), new[] { typeof(float), typeof(float) }),
            ["attention_subgroup"] = (typeof(AttentionKernel), new[] { typeof(float), typeof(float) }),
            ["attention_queries"] = (typeof(ResidentAttention), new[] { typeof(AttentionQuery), typeof(float), typeof(float) }),
            ["attention_queries_subgroup"] = (typeof(ResidentAttention), new[] { typeof(AttentionQuery), typeof(float), typeof(float) }),
            ["attention_step"] = (typeof(ResidentAttention), new[] { typeof(SequenceQuery), typeof(float), typeof(float), typeof(float), typeof(int) }),
            ["attention_step_subgroup"] = (typeof(ResidentAttention), new[] { typeof(SequenceQuery), typeof(float), typeof(float), typeof(float), typeof(int) }),
            ["evict_score"] = (typeof(EvictionScoreKernel), new[] { typeof(BlockUsage), typeof(double) }),
            ["evict_score_entry"] = (typeof(EvictionScoreKernel), new[] { typeof(BlockUsage), typeof(double), typeof(double) }),
            ["gate"] = (typeof(GateKernel), new[] { typeof(float), typeof(int), typeof(int) }),
            ["gate_segments"] = (typeof(GateKernel), new[] { typeof(float), typeof(int), typeof(int), typeof(int) }),
            ["route_best"] = (typeof(RouteKernel), new[] { typeof(ReplicaScore), typeof(uint), typeof(uint) }),
            ["scale"] = (typeof(ScaleKernel), new[] { typeof(float), typeof(float) }),
            ["select_lowest"] = (typeof(SelectKernel), new[] { typeof(float), typeof(uint), typeof(int) }),
            ["select_lowest_gather"] = (typeof(SelectKernel), new[] { typeof(double), typeof(uint), typeof(int), typeof(int), typeof(uint), typeof(uint) }),
            ["token_score"] = (typeof(TokenScoreKernel), new[] { typeof(int), typeof(float), typeof(int), typeof(int), typeof(float) }),
            ["select_radix"] = (typeof(ResidentBlocks), new[] { typeof(double), typeof(uint), typeof(int), typeof(uint), typeof(uint) }),
        };

        static IEnumerable<string> Shaders => ShaderLibrary.Names;

        [Test]
        public void EveryEmbeddedShaderHasItsLayoutChecked()
        {
            Assert.That(Expected.Keys.OrderBy(n => n, StringComparer.Ordinal), Is.EqualTo(ShaderLibrary.Names));
        }

        [TestCaseSource(nameof(Shaders))]
        public void PushConstantsMatchTheKernelsArguments(string shader)
        {
            var spirv = new SpirvLayout(ShaderLibrary.Load(shader));
            Assert.That(spirv.PushConstants, Is.EqualTo(ClrLayout.Describe(ClrLayout.ArgumentsOf(Expected[shader].Kernel))));
        }

        [TestCaseSource(nameof(Shaders))]
        public void StorageBufferElementsMatchTheCSharpTypes(string shader)
        {
            var spirv = new SpirvLayout(ShaderLibrary.Load(shader));
            Type[] elements = Expected[shader].Elements;
            Assert.That(spirv.StorageBuffers.Keys, Is.EqualTo(Enumerable.Range(0, elements.Length).Select(b => (uint)b)), "bindings");
            for (int binding = 0; binding < elements.Length; binding++)
            {
                (string element, uint strideBytes) = spirv.StorageBuffers[(uint)binding];
                Assert.That(element, Is.EqualTo(ClrLayout.Describe(elements[binding])), "binding " + binding + " element");
                Assert.That(strideBytes, Is.EqualTo(ClrLayout.SizeBytes(elements[binding])), "binding " + binding + " stride");
            }
        }

        [Test]
        public void SharedStructsHaveTheLayoutsWorkedOutByHand()
        {
            // std430: doubles at multiples of 8, the struct rounded up to its largest member's alignment.
            Assert.That(ClrLayout.Describe(typeof(BlockUsage)), Is.EqualTo("{f64@0 f64@8 i32@16 i32@20 i32@24 i32@28}"));
            Assert.That(ClrLayout.SizeBytes(typeof(BlockUsage)), Is.EqualTo(32), "32 bytes of fields, already a multiple of 8");
            Assert.That(ClrLayout.Describe(typeof(ReplicaScore)), Is.EqualTo("{f64@0 i32@8}"));
            Assert.That(ClrLayout.SizeBytes(typeof(ReplicaScore)), Is.EqualTo(16));
            // Twelve 4-byte members, packed.
            Assert.That(ClrLayout.Describe(typeof(SequenceQuery)),
                Is.EqualTo("{i32@0 i32@4 i32@8 f32@12 f32@16 f32@20 f32@24 f32@28 f32@32 f32@36 f32@40 f32@44}"));
            Assert.That(ClrLayout.SizeBytes(typeof(SequenceQuery)), Is.EqualTo(48));
            Assert.That(ClrLayout.Describe(typeof(AttentionQuery)),
                Is.EqualTo("{i32@0 i32@4 i32@8 f32@12 f32@16 f32@20 f32@24 f32@28 f32@32 f32@36 f32@40 f32@44}"));
            Assert.That(ClrLayout.SizeBytes(typeof(AttentionQuery)), Is.EqualTo(48));
        }
    }
}
