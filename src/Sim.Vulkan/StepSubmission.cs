using System;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>
    /// One step of resident kernels as one submission: the ranges written since the last step go up, the kernels run
    /// in order, the ranges the host reads come back; one wait. Where buffers are mapped (lavapipe, integrated GPUs)
    /// the copies are nothing and only the barriers remain.
    /// </summary>
    public static unsafe class StepSubmission
    {
        public static void Run(VulkanContext context, ComputeBuffer[] uploads, Action<CommandBuffer> kernels,
            (ComputeBuffer Buffer, int First, int Count)[] downloads, TimeSpan timeout)
        {
            Vk vk = context.Vk;
            context.SubmitAndWait(commands =>
            {
                foreach (ComputeBuffer buffer in uploads) buffer.RecordUploads(commands);
                Barrier(vk, commands, PipelineStageFlags.TransferBit, AccessFlags.TransferWriteBit,
                    PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderReadBit | AccessFlags.ShaderWriteBit);
                kernels(commands);
                Barrier(vk, commands, PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderWriteBit,
                    PipelineStageFlags.TransferBit | PipelineStageFlags.HostBit, AccessFlags.TransferReadBit | AccessFlags.HostReadBit);
                foreach ((ComputeBuffer buffer, int first, int count) in downloads) buffer.RecordDownload(commands, first, count);
                Barrier(vk, commands, PipelineStageFlags.TransferBit, AccessFlags.TransferWriteBit, PipelineStageFlags.HostBit, AccessFlags.HostReadBit);
            }, timeout);
        }

        static void Barrier(Vk vk, CommandBuffer commands, PipelineStageFlags fromStage, AccessFlags fromAccess, PipelineStageFlags toStage, AccessFlags toAccess)
        {
            var barrier = new MemoryBarrier { SType = StructureType.MemoryBarrier, SrcAccessMask = fromAccess, DstAccessMask = toAccess };
            vk.CmdPipelineBarrier(commands, fromStage, toStage, 0, 1, &barrier, 0, null, 0, null);
        }
    }
}
