using System;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>
    /// One step of resident kernels as one submission: the ranges written since the last step go up, the kernels run
    /// in order, the ranges the host reads come back; one wait. Where buffers are mapped (lavapipe, integrated GPUs)
    /// the copies are nothing and only the barriers remain. The caller records its kernels between
    /// <see cref="Begin"/> and <see cref="End"/> and hands buffers and ranges over as spans (collection expressions on
    /// its stack), so a step allocates nothing.
    /// </summary>
    public static unsafe class StepSubmission
    {
        /// <summary>Starts the step's command buffer with the copies of <paramref name="uploads"/>' queued ranges; the kernels follow.</summary>
        public static CommandBuffer Begin(VulkanContext context, ReadOnlySpan<ComputeBuffer> uploads)
        {
            CommandBuffer commands = context.BeginCommands();
            foreach (ComputeBuffer buffer in uploads) buffer.RecordUploads(commands);
            Barrier(context.Vk, commands, PipelineStageFlags.TransferBit, AccessFlags.TransferWriteBit,
                PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderReadBit | AccessFlags.ShaderWriteBit);
            return commands;
        }

        /// <summary>Ends the step after its kernels with the copies back of <paramref name="downloads"/>, submits it and waits at most <paramref name="timeout"/>.</summary>
        public static void End(VulkanContext context, CommandBuffer commands, ReadOnlySpan<(ComputeBuffer Buffer, int First, int Count)> downloads, TimeSpan timeout)
        {
            Vk vk = context.Vk;
            Barrier(vk, commands, PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderWriteBit,
                PipelineStageFlags.TransferBit | PipelineStageFlags.HostBit, AccessFlags.TransferReadBit | AccessFlags.HostReadBit);
            foreach ((ComputeBuffer buffer, int first, int count) in downloads) buffer.RecordDownload(commands, first, count);
            Barrier(vk, commands, PipelineStageFlags.TransferBit, AccessFlags.TransferWriteBit, PipelineStageFlags.HostBit, AccessFlags.HostReadBit);
            context.SubmitAndWait(timeout);
        }

        static void Barrier(Vk vk, CommandBuffer commands, PipelineStageFlags fromStage, AccessFlags fromAccess, PipelineStageFlags toStage, AccessFlags toAccess)
        {
            var barrier = new MemoryBarrier { SType = StructureType.MemoryBarrier, SrcAccessMask = fromAccess, DstAccessMask = toAccess };
            vk.CmdPipelineBarrier(commands, fromStage, toStage, 0, 1, &barrier, 0, null, 0, null);
        }
    }
}
