using System;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Vulkan
{
    /// <summary>
    /// <see cref="IResidentKernels"/> on a Vulkan device: columns in device buffers (device-local behind staging copies on
    /// discrete GPUs), each step one submission. Disposing it releases the block families' shared pipelines and the
    /// context, after the columns made from it.
    /// </summary>
    public sealed class VulkanResidentKernels : IResidentKernels
    {
        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly bool _ownsContext;
        readonly SubmissionCount _attentionSubmissions = new SubmissionCount();
        readonly SubmissionCount _gateSubmissions = new SubmissionCount();
        // The block families' pipelines, built with the first family and shared by every one made here.
        ResidentBlockKernels? _blockKernels;

        /// <param name="context">Not disposed with this object.</param>
        public VulkanResidentKernels(VulkanContext context, TimeSpan timeout) : this(context, timeout, ownsContext: false)
        {
        }

        VulkanResidentKernels(VulkanContext context, TimeSpan timeout, bool ownsContext)
        {
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which the resident kernels need");
            _context = context;
            _timeout = timeout;
            _ownsContext = ownsContext;
        }

        /// <summary>Opens the preferred Vulkan device; throws <see cref="NotSupportedException"/> when it cannot run the kernels.</summary>
        public static VulkanResidentKernels Create(TimeSpan timeout)
        {
            VulkanContext context = VulkanContext.Create(validationIfPresent: false);
            try
            {
                return new VulkanResidentKernels(context, timeout, ownsContext: true);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        public string Name => "vulkan";

        public VulkanDeviceInfo Device => _context.DeviceInfo;

        /// <summary>Submissions of every attention column made here.</summary>
        public long AttentionSubmissions => _attentionSubmissions.Value;

        /// <summary>Submissions of every gate made here.</summary>
        public long GateSubmissions => _gateSubmissions.Value;

        public IResidentAttention Attention(int positions) => new ResidentAttention(_context, positions, _timeout, submissions: _attentionSubmissions);

        public IResidentGate Gate(int maxTokens, int maxSegments, int experts, int topK) =>
            new ResidentGate(_context, maxTokens, maxSegments, experts, topK, _timeout, _gateSubmissions);

        public IResidentBlocks Blocks(int blocks, EvictionPolicy policy) =>
            new ResidentBlocks(_context, blocks, policy, _timeout, _blockKernels ??= new ResidentBlockKernels(_context));

        /// <summary>Releases the shared pipelines (every family made here disposed first), then the context where this owns it.</summary>
        public void Dispose()
        {
            _blockKernels?.Dispose();
            _blockKernels = null;
            if (_ownsContext) _context.Dispose();
        }
    }
}
