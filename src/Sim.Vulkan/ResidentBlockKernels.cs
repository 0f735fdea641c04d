using System;
using System.Runtime.InteropServices;

namespace Sim.Vulkan
{
    /// <summary>
    /// The three pipelines a resident block family steps with (evict_score_entry, select_radix, select_lowest_gather).
    /// Families of one context share them, one for each replica's prefix cache: building a pipeline compiles its shader,
    /// which a CPU driver does at start for each, while a step binds its own buffers before it records (the last
    /// submission's fence has signalled by then).
    /// </summary>
    internal sealed class ResidentBlockKernels : IDisposable
    {
        public ResidentBlockKernels(VulkanContext context)
        {
            try
            {
                Score = new ComputeKernel(context, "evict_score_entry", bufferCount: 3, Marshal.SizeOf<EvictionScoreKernel.Arguments>());
                Radix = new ComputeKernel(context, "select_radix", bufferCount: 5, Marshal.SizeOf<ResidentBlocks.Arguments>());
                Sort = new ComputeKernel(context, "select_lowest_gather", bufferCount: 6, Marshal.SizeOf<SelectKernel.Arguments>());
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public ComputeKernel Score { get; }

        public ComputeKernel Radix { get; }

        public ComputeKernel Sort { get; }

        public void Dispose()
        {
            Score?.Dispose();
            Radix?.Dispose();
            Sort?.Dispose();
        }
    }
}
