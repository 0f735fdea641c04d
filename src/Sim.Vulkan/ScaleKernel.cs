using System;
using System.Runtime.InteropServices;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/scale.comp as a ready pipeline: y[i] = a * x[i] + y[i] for i below a count. The smallest real
    /// dispatch: descriptor set layout, pipeline layout with a push-constant range, compute pipeline from the
    /// embedded SPIR-V, and one descriptor set rewritten before each run.
    /// </summary>
    public sealed unsafe class ScaleKernel : IDisposable
    {
        /// <summary>Threads per workgroup; must equal SIM_LOCAL_SIZE in shaders/common.glsl.</summary>
        public const int LocalSize = 64;

        /// <summary>Mirror of the shader's push-constant block {uint count; float a;} (std430: 4 + 4 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        struct Arguments
        {
            public uint Count;
            public float A;
        }

        readonly VulkanContext _context;
        readonly DescriptorSetLayout _setLayout;
        readonly PipelineLayout _pipelineLayout;
        readonly Pipeline _pipeline;
        readonly DescriptorPool _descriptorPool;
        readonly DescriptorSet _descriptorSet;
        bool _disposed;

        public ScaleKernel(VulkanContext context)
        {
            _context = context;
            Vk vk = context.Vk;
            Device device = context.Device;
            try
            {
                _setLayout = CreateSetLayout(vk, device);
                var pushRange = new PushConstantRange
                {
                    StageFlags = ShaderStageFlags.ComputeBit,
                    Offset = 0,
                    Size = (uint)sizeof(Arguments),
                };
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
                _pipeline = CreatePipeline(vk, device, _pipelineLayout, ShaderLibrary.Load("scale"));
                var poolSize = new DescriptorPoolSize { Type = DescriptorType.StorageBuffer, DescriptorCount = 2 };
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

        static DescriptorSetLayout CreateSetLayout(Vk vk, Device device)
        {
            DescriptorSetLayoutBinding* bindings = stackalloc DescriptorSetLayoutBinding[2];
            for (uint b = 0; b < 2; b++)
            {
                bindings[b] = new DescriptorSetLayoutBinding
                {
                    Binding = b,
                    DescriptorType = DescriptorType.StorageBuffer,
                    DescriptorCount = 1,
                    StageFlags = ShaderStageFlags.ComputeBit,
                };
            }
            var info = new DescriptorSetLayoutCreateInfo
            {
                SType = StructureType.DescriptorSetLayoutCreateInfo,
                BindingCount = 2,
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

        /// <summary>
        /// Runs y[i] = a * x[i] + y[i] for i in [0, count) on the device and waits for it at most
        /// <paramref name="timeout"/>. Elements of y at and beyond count are left untouched.
        /// </summary>
        public void Run(ComputeBuffer x, ComputeBuffer y, float a, int count, TimeSpan timeout)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (count <= 0 || count > x.Length || count > y.Length)
                throw new ArgumentOutOfRangeException(nameof(count), count, "must be in 1.." + Math.Min(x.Length, y.Length) + " (the buffer lengths)");
            uint groups = (uint)((count + LocalSize - 1) / LocalSize);
            if (groups > _context.MaxWorkGroupCountX)
                throw new ArgumentOutOfRangeException(nameof(count), count, "needs " + groups + " workgroups; " + _context.DeviceInfo + " allows " + _context.MaxWorkGroupCountX);

            // Safe to rewrite: the previous run's fence has signalled, so the set is not in use.
            BindBuffers(x, y);
            Vk vk = _context.Vk;
            _context.SubmitAndWait(commands =>
            {
                vk.CmdBindPipeline(commands, PipelineBindPoint.Compute, _pipeline);
                DescriptorSet set = _descriptorSet;
                vk.CmdBindDescriptorSets(commands, PipelineBindPoint.Compute, _pipelineLayout, 0, 1, &set, 0, null);
                var arguments = new Arguments { Count = (uint)count, A = a };
                vk.CmdPushConstants(commands, _pipelineLayout, ShaderStageFlags.ComputeBit, 0, (uint)sizeof(Arguments), &arguments);
                vk.CmdDispatch(commands, groups, 1, 1);
                // Make the shader's writes visible to host reads once the fence signals.
                var barrier = new MemoryBarrier
                {
                    SType = StructureType.MemoryBarrier,
                    SrcAccessMask = AccessFlags.ShaderWriteBit,
                    DstAccessMask = AccessFlags.HostReadBit,
                };
                vk.CmdPipelineBarrier(commands, PipelineStageFlags.ComputeShaderBit, PipelineStageFlags.HostBit, 0,
                    1, &barrier, 0, null, 0, null);
            }, timeout);
        }

        void BindBuffers(ComputeBuffer x, ComputeBuffer y)
        {
            DescriptorBufferInfo* infos = stackalloc DescriptorBufferInfo[2];
            infos[0] = new DescriptorBufferInfo { Buffer = x.Handle, Offset = 0, Range = Vk.WholeSize };
            infos[1] = new DescriptorBufferInfo { Buffer = y.Handle, Offset = 0, Range = Vk.WholeSize };
            WriteDescriptorSet* writes = stackalloc WriteDescriptorSet[2];
            for (uint b = 0; b < 2; b++)
            {
                writes[b] = new WriteDescriptorSet
                {
                    SType = StructureType.WriteDescriptorSet,
                    DstSet = _descriptorSet,
                    DstBinding = b,
                    DescriptorCount = 1,
                    DescriptorType = DescriptorType.StorageBuffer,
                    PBufferInfo = &infos[b],
                };
            }
            _context.Vk.UpdateDescriptorSets(_context.Device, 2, writes, 0, null);
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
            if (_disposed)
                return;
            _disposed = true;
            Destroy();
        }
    }
}
