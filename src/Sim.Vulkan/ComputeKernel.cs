using System;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>
    /// One embedded compute shader as a ready pipeline: its storage buffers at set 0, bindings 0..n-1 in order (the
    /// convention of shaders/common.glsl), and one push-constant block of arguments. Built once; each dispatch
    /// rewrites the descriptor set (safe: the previous dispatch's fence has signalled) and waits for the device.
    /// </summary>
    public sealed unsafe class ComputeKernel : IDisposable
    {
        /// <summary>Threads per workgroup; must equal SIM_LOCAL_SIZE in shaders/common.glsl.</summary>
        public const int LocalSize = 64;

        readonly VulkanContext _context;
        readonly int _bufferCount;
        readonly uint _argumentBytes;
        readonly DescriptorSetLayout _setLayout;
        readonly PipelineLayout _pipelineLayout;
        readonly Pipeline _pipeline;
        readonly DescriptorPool _descriptorPool;
        readonly DescriptorSet _descriptorSet;
        bool _disposed;

        public ComputeKernel(VulkanContext context, string shader, int bufferCount, int argumentBytes)
        {
            _context = context;
            _bufferCount = bufferCount;
            _argumentBytes = (uint)argumentBytes;
            Vk vk = context.Vk;
            Device device = context.Device;
            try
            {
                _setLayout = CreateSetLayout(vk, device, bufferCount);
                var pushRange = new PushConstantRange { StageFlags = ShaderStageFlags.ComputeBit, Offset = 0, Size = _argumentBytes };
                DescriptorSetLayout setLayout = _setLayout;
                var layoutInfo = new PipelineLayoutCreateInfo
                {
                    SType = StructureType.PipelineLayoutCreateInfo,
                    SetLayoutCount = 1,
                    PSetLayouts = &setLayout,
                    PushConstantRangeCount = 1,
                    PPushConstantRanges = &pushRange,
                };
                VulkanException.Check(vk.CreatePipelineLayout(device, &layoutInfo, null, out _pipelineLayout), "vkCreatePipelineLayout");
                _pipeline = CreatePipeline(vk, device, _pipelineLayout, ShaderLibrary.Load(shader));
                var poolSize = new DescriptorPoolSize { Type = DescriptorType.StorageBuffer, DescriptorCount = (uint)bufferCount };
                var poolInfo = new DescriptorPoolCreateInfo
                {
                    SType = StructureType.DescriptorPoolCreateInfo,
                    MaxSets = 1,
                    PoolSizeCount = 1,
                    PPoolSizes = &poolSize,
                };
                VulkanException.Check(vk.CreateDescriptorPool(device, &poolInfo, null, out _descriptorPool), "vkCreateDescriptorPool");
                var setInfo = new DescriptorSetAllocateInfo
                {
                    SType = StructureType.DescriptorSetAllocateInfo,
                    DescriptorPool = _descriptorPool,
                    DescriptorSetCount = 1,
                    PSetLayouts = &setLayout,
                };
                VulkanException.Check(vk.AllocateDescriptorSets(device, &setInfo, out _descriptorSet), "vkAllocateDescriptorSets");
            }
            catch
            {
                Destroy();
                throw;
            }
        }

        /// <summary>
        /// Workgroups to cover <paramref name="invocations"/> threads (shaders index them with simIndex()): along x up to the
        /// device's limit, wrapping into y rows beyond it.
        /// </summary>
        public (uint X, uint Y) GroupsFor(int invocations)
        {
            long groups = Math.Max(1, ((long)invocations + LocalSize - 1) / LocalSize);
            uint x = (uint)Math.Min(groups, _context.MaxWorkGroupCountX);
            return (x, (uint)((groups + x - 1) / x));
        }

        /// <summary>Binds <paramref name="buffers"/> in order, pushes <paramref name="arguments"/>, dispatches and waits at most <paramref name="timeout"/>.</summary>
        public void Dispatch<TArguments>(ReadOnlySpan<ComputeBuffer> buffers, in TArguments arguments, (uint X, uint Y) groups, TimeSpan timeout) where TArguments : unmanaged
        {
            (TArguments, (uint, uint)) step = (arguments, groups);
            DispatchSteps(buffers, new ReadOnlySpan<(TArguments, (uint, uint))>(in step), timeout);
        }

        /// <summary>
        /// Binds <paramref name="buffers"/> once and runs <paramref name="steps"/> in order in one submission, each with its
        /// own arguments and workgroups, every step seeing the previous one's writes; waits at most <paramref name="timeout"/>
        /// for them all.
        /// </summary>
        public void DispatchSteps<TArguments>(ReadOnlySpan<ComputeBuffer> buffers, ReadOnlySpan<(TArguments Arguments, (uint X, uint Y) Groups)> steps, TimeSpan timeout) where TArguments : unmanaged
        {
            if (sizeof(TArguments) != _argumentBytes) throw new ArgumentException("the shader's arguments are " + _argumentBytes + " bytes", nameof(steps));
            Bind(buffers);
            CommandBuffer commands = _context.BeginCommands();
            Record(commands, steps);
            // Make the shader's writes visible to host reads once the fence signals.
            Barrier(_context.Vk, commands, PipelineStageFlags.HostBit, AccessFlags.HostReadBit);
            _context.SubmitAndWait(timeout);
        }

        /// <summary>
        /// Points the kernel's bindings at <paramref name="buffers"/>, in order, for the dispatches recorded next; they must
        /// stay bound until that submission has finished (one binding a kernel per submission).
        /// </summary>
        public void Bind(ReadOnlySpan<ComputeBuffer> buffers)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (buffers.Length != _bufferCount) throw new ArgumentException("the shader takes " + _bufferCount + " buffers", nameof(buffers));
            BindBuffers(buffers);
        }

        /// <summary>Records one dispatch of <paramref name="arguments"/> over <paramref name="groups"/>: a list of one step.</summary>
        internal void Record<TArguments>(CommandBuffer commands, in TArguments arguments, (uint X, uint Y) groups) where TArguments : unmanaged
        {
            (TArguments, (uint, uint)) step = (arguments, groups);
            Record(commands, new ReadOnlySpan<(TArguments, (uint, uint))>(in step));
        }

        /// <summary>
        /// Records <paramref name="steps"/> into <paramref name="commands"/> over the bound buffers, each after a barrier so it
        /// sees every earlier shader write of the submission (its own steps' and other kernels').
        /// </summary>
        internal void Record<TArguments>(CommandBuffer commands, ReadOnlySpan<(TArguments Arguments, (uint X, uint Y) Groups)> steps) where TArguments : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (sizeof(TArguments) != _argumentBytes) throw new ArgumentException("the shader's arguments are " + _argumentBytes + " bytes", nameof(steps));
            Vk vk = _context.Vk;
            vk.CmdBindPipeline(commands, PipelineBindPoint.Compute, _pipeline);
            DescriptorSet set = _descriptorSet;
            vk.CmdBindDescriptorSets(commands, PipelineBindPoint.Compute, _pipelineLayout, 0, 1, &set, 0, null);
            for (int s = 0; s < steps.Length; s++)
            {
                Barrier(vk, commands, PipelineStageFlags.ComputeShaderBit, AccessFlags.ShaderReadBit | AccessFlags.ShaderWriteBit);
                TArguments arguments = steps[s].Arguments;
                vk.CmdPushConstants(commands, _pipelineLayout, ShaderStageFlags.ComputeBit, 0, _argumentBytes, &arguments);
                vk.CmdDispatch(commands, steps[s].Groups.X, steps[s].Groups.Y, 1);
            }
        }

        /// <summary>Orders the compute shader's writes before <paramref name="stage"/>'s <paramref name="access"/>.</summary>
        internal static void Barrier(Vk vk, CommandBuffer commands, PipelineStageFlags stage, AccessFlags access)
        {
            var barrier = new MemoryBarrier
            {
                SType = StructureType.MemoryBarrier,
                SrcAccessMask = AccessFlags.ShaderWriteBit,
                DstAccessMask = access,
            };
            vk.CmdPipelineBarrier(commands, PipelineStageFlags.ComputeShaderBit, stage, 0, 1, &barrier, 0, null, 0, null);
        }

        void BindBuffers(ReadOnlySpan<ComputeBuffer> buffers)
        {
            DescriptorBufferInfo* infos = stackalloc DescriptorBufferInfo[buffers.Length];
            WriteDescriptorSet* writes = stackalloc WriteDescriptorSet[buffers.Length];
            for (int b = 0; b < buffers.Length; b++)
            {
                infos[b] = new DescriptorBufferInfo { Buffer = buffers[b].Handle, Offset = 0, Range = Vk.WholeSize };
                writes[b] = new WriteDescriptorSet
                {
                    SType = StructureType.WriteDescriptorSet,
                    DstSet = _descriptorSet,
                    DstBinding = (uint)b,
                    DescriptorCount = 1,
                    DescriptorType = DescriptorType.StorageBuffer,
                    PBufferInfo = &infos[b],
                };
            }
            _context.Vk.UpdateDescriptorSets(_context.Device, (uint)buffers.Length, writes, 0, null);
        }

        static DescriptorSetLayout CreateSetLayout(Vk vk, Device device, int bufferCount)
        {
            DescriptorSetLayoutBinding* bindings = stackalloc DescriptorSetLayoutBinding[bufferCount];
            for (int b = 0; b < bufferCount; b++)
                bindings[b] = new DescriptorSetLayoutBinding
                {
                    Binding = (uint)b,
                    DescriptorType = DescriptorType.StorageBuffer,
                    DescriptorCount = 1,
                    StageFlags = ShaderStageFlags.ComputeBit,
                };
            var info = new DescriptorSetLayoutCreateInfo
            {
                SType = StructureType.DescriptorSetLayoutCreateInfo,
                BindingCount = (uint)bufferCount,
                PBindings = bindings,
            };
            VulkanException.Check(vk.CreateDescriptorSetLayout(device, &info, null, out DescriptorSetLayout layout), "vkCreateDescriptorSetLayout");
            return layout;
        }

        static Pipeline CreatePipeline(Vk vk, Device device, PipelineLayout layout, byte[] spirv)
        {
            ShaderModule module;
            fixed (byte* code = spirv)
            {
                var moduleInfo = new ShaderModuleCreateInfo
                {
                    SType = StructureType.ShaderModuleCreateInfo,
                    CodeSize = (nuint)spirv.Length,
                    PCode = (uint*)code,
                };
                VulkanException.Check(vk.CreateShaderModule(device, &moduleInfo, null, out module), "vkCreateShaderModule");
            }
            try
            {
                fixed (byte* entryPoint = "main\0"u8)
                {
                    var pipelineInfo = new ComputePipelineCreateInfo
                    {
                        SType = StructureType.ComputePipelineCreateInfo,
                        Stage = new PipelineShaderStageCreateInfo
                        {
                            SType = StructureType.PipelineShaderStageCreateInfo,
                            Stage = ShaderStageFlags.ComputeBit,
                            Module = module,
                            PName = entryPoint,
                        },
                        Layout = layout,
                    };
                    VulkanException.Check(vk.CreateComputePipelines(device, default, 1, &pipelineInfo, null, out Pipeline pipeline), "vkCreateComputePipelines");
                    return pipeline;
                }
            }
            finally
            {
                // The pipeline keeps its own compiled copy; the module is only needed while creating it.
                vk.DestroyShaderModule(device, module, null);
            }
        }

        void Destroy()
        {
            Vk vk = _context.Vk;
            Device device = _context.Device;
            // Freeing the pool frees its descriptor set; null handles are ignored by vkDestroy*.
            vk.DestroyDescriptorPool(device, _descriptorPool, null);
            vk.DestroyPipeline(device, _pipeline, null);
            vk.DestroyPipelineLayout(device, _pipelineLayout, null);
            vk.DestroyDescriptorSetLayout(device, _setLayout, null);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (!_context.MayHaveWorkInFlight) Destroy();
        }
    }
}
