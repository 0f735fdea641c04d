using System;

namespace Sim.Core.Experts
{
    /// <summary>
    /// Bit-nested experts (<c>moe.nested_bits</c>), after D2MoE's matryoshka weight quantization: each expert is stored once
    /// at the widest width, and every narrower width is a prefix of it (its most significant bits), so an expert loads
    /// at the narrowest width and refines to a wider one by loading only the difference.
    /// </summary>
    public sealed class NestedBits
    {
        /// <summary>Stored bits per weight of each nested width, narrowest first (default 2, 4, 8).</summary>
        public int[] Widths { get; set; } = { 2, 4, 8 };

        /// <summary>
        /// The quality proxy's relative accuracy of an expert served at each width (the full-precision model is 1), one per
        /// width; scene-given, the defaults an assumption (docs/MOE.md).
        /// </summary>
        public double[] Quality { get; set; } = { 0.85, 0.98, 1.0 };

        /// <summary>
        /// Share of a layer step's used experts, the hottest first (most tokens), refined to the widest width; the others
        /// are served at the width they have, at least the narrowest.
        /// </summary>
        public double HotShare { get; set; } = 0.25;

        /// <summary>Bytes of one expert (or shard) at each width, from its bytes at the model's own precision; index 0 is nothing.</summary>
        public double[] LevelBytes(double modelBytes, double modelBitsPerWeight)
        {
            var bytes = new double[Widths.Length + 1];
            for (int i = 0; i < Widths.Length; i++) bytes[i + 1] = modelBytes * Widths[i] / modelBitsPerWeight;
            return bytes;
        }

        /// <summary>Experts of a layer step served at the widest width: ⌈hot share × used⌉.</summary>
        public int HotExperts(int used) => (int)Math.Ceiling(HotShare * used - 1e-9);
    }
}
