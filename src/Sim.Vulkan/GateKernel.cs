using System;
using System.Runtime.InteropServices;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/gate.comp: the GPU twin of <c>CpuBackend.GateTopK</c> (top-k of each token's router logits, ties to the
    /// lower expert, per-expert counts). Its buffers are kept and grown, never made per call.
    /// </summary>
    public sealed class GateKernel : IDisposable
    {
        /// <summary>The shader marks picked experts in a 256-bit mask.</summary>
        public const int MaxExperts = 256;

        [StructLayout(LayoutKind.Sequential)]
        internal struct Arguments
        {
            public uint Tokens;
            public uint Experts;
            public uint TopK;
        }

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _logits, _chosen, _load;

        public GateKernel(VulkanContext context, TimeSpan timeout)
        {
            _context = context;
            _timeout = timeout;
            _kernel = new ComputeKernel(context, "gate", bufferCount: 3, Marshal.SizeOf<Arguments>());
        }

        /// <summary>Dispatches so far (one submission each).</summary>
        public long Calls { get; private set; }

        /// <summary>Same contract as <c>IComputeBackend.GateTopK</c>; <paramref name="expertLoad"/> is added to, as on the CPU.</summary>
        public void GateTopK(ReadOnlySpan<float> logits, int tokens, int experts, int topK, Span<int> chosenExperts, Span<int> expertLoad)
        {
            if (experts > MaxExperts) throw new ArgumentOutOfRangeException(nameof(experts), experts, "the gate shader handles up to " + MaxExperts + " experts");
            if (topK > experts || logits.Length < tokens * experts || chosenExperts.Length < tokens * topK || expertLoad.Length < experts)
                throw new ArgumentException("gate spans do not fit " + tokens + " tokens x " + experts + " experts, top-" + topK);
            if (tokens == 0) return;
            _logits = ComputeBuffer.GrownToFit(_logits, _context, tokens * experts);
            _chosen = ComputeBuffer.GrownToFit(_chosen, _context, tokens * topK);
            _load = ComputeBuffer.GrownToFit(_load, _context, experts);
            _logits.Write(logits.Slice(0, tokens * experts));
            _load.Write<int>(expertLoad.Slice(0, experts));
            _kernel.Dispatch([_logits, _chosen, _load], new Arguments { Tokens = (uint)tokens, Experts = (uint)experts, TopK = (uint)topK },
                _kernel.GroupsFor(tokens), _timeout);
            Calls++;
            _chosen.ReadInto(chosenExperts.Slice(0, tokens * topK));
            _load.ReadInto(expertLoad.Slice(0, experts));
        }

        public void Dispose()
        {
            _kernel.Dispose();
            _logits?.Dispose();
            _chosen?.Dispose();
            _load?.Dispose();
        }
    }
}
