using System;
using System.Runtime.InteropServices;
using Sim.Core.Tokens;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/attention.comp: the GPU twin of <c>CpuBackend.AttentionProbabilities</c> (needs double-precision shaders for
    /// its sum); its subgroup build where the device has subgroup arithmetic.
    /// </summary>
    public sealed class AttentionKernel : IDisposable
    {
        [StructLayout(LayoutKind.Sequential)]
        struct Arguments
        {
            public uint Count;
            public float RecencyDecay;
            public float Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7;
        }

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _keys, _probabilities;

        /// <param name="useSubgroups">Take the subgroup build where the device allows it (false: the shared-memory build everywhere).</param>
        public AttentionKernel(VulkanContext context, TimeSpan timeout, bool useSubgroups = true)
        {
            if (AttentionModel.KeyDim != 8) throw new InvalidOperationException("the attention shader is written for 8-dimensional keys");
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which the attention sum needs");
            _context = context;
            _timeout = timeout;
            UsesSubgroups = useSubgroups && context.HasSubgroupArithmetic;
            _kernel = new ComputeKernel(context, UsesSubgroups ? "attention_subgroup" : "attention", bufferCount: 2, Marshal.SizeOf<Arguments>());
        }

        /// <summary>Whether the maximum is reduced with subgroup operations.</summary>
        public bool UsesSubgroups { get; }

        /// <summary>Dispatches so far (one submission each).</summary>
        public long Calls { get; private set; }

        public void AttentionProbabilities(ReadOnlySpan<float> keys, int count, ReadOnlySpan<float> query, float recencyDecayPerToken, Span<float> probabilities)
        {
            const int d = AttentionModel.KeyDim;
            if (keys.Length < count * d || query.Length < d || probabilities.Length < count)
                throw new ArgumentException("keys need count x " + d + " floats, the query " + d + ", probabilities count");
            if (count == 0) return;
            _keys = ComputeBuffer.GrownToFit(_keys, _context, count * d);
            _probabilities = ComputeBuffer.GrownToFit(_probabilities, _context, count);
            _keys.Write(keys.Slice(0, count * d));
            var arguments = new Arguments
            {
                Count = (uint)count, RecencyDecay = recencyDecayPerToken,
                Q0 = query[0], Q1 = query[1], Q2 = query[2], Q3 = query[3], Q4 = query[4], Q5 = query[5], Q6 = query[6], Q7 = query[7],
            };
            _kernel.Dispatch([_keys, _probabilities], arguments, groups: (1, 1), _timeout); // one workgroup reduces the whole sequence
            Calls++;
            _probabilities.ReadInto(probabilities.Slice(0, count));
        }

        public void Dispose()
        {
            _kernel.Dispose();
            _keys?.Dispose();
            _probabilities?.Dispose();
        }
    }
}
