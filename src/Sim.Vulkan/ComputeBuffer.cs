using System;
using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;

namespace Sim.Vulkan
{
    /// <summary>
    /// A storage buffer of floats that the host reads and writes directly through a persistent mapping.
    /// It lives in host-visible, host-coherent memory: lavapipe has exactly one memory type and it is host-visible,
    /// and real GPUs also offer such a type (system memory over PCIe), so this works everywhere but is slow for
    /// kernels on a discrete GPU; device-local buffers with a staging copy come with the compute-backend issue.
    /// </summary>
    public sealed unsafe class ComputeBuffer : IDisposable
    {
        readonly VulkanContext _context;
        readonly DeviceMemory _memory;
        readonly float* _mapped;
        bool _disposed;

        public ComputeBuffer(VulkanContext context, int length)
        {
            if (length <= 0)
                throw new ArgumentOutOfRangeException(nameof(length), length, "a Vulkan buffer must hold at least one element");
            _context = context;
            Length = length;
            SizeBytes = (ulong)length * sizeof(float);
            Vk vk = context.Vk;
            var bufferInfo = new BufferCreateInfo
            {
                SType = StructureType.BufferCreateInfo,
                Size = SizeBytes,
                Usage = BufferUsageFlags.StorageBufferBit,
                SharingMode = SharingMode.Exclusive,
            };
            VulkanException.Check(vk.CreateBuffer(context.Device, &bufferInfo, null, out VkBuffer buffer), "vkCreateBuffer");
            Handle = buffer;
            try
            {
                vk.GetBufferMemoryRequirements(context.Device, buffer, out MemoryRequirements requirements);
                const MemoryPropertyFlags hostAccess = MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit;
                int memoryType = context.FindMemoryType(requirements.MemoryTypeBits, hostAccess);
                if (memoryType < 0)
                    throw new InvalidOperationException("device " + context.DeviceInfo + " has no host-visible coherent memory for storage buffers");
                var allocateInfo = new MemoryAllocateInfo
                {
                    SType = StructureType.MemoryAllocateInfo,
                    AllocationSize = requirements.Size,
                    MemoryTypeIndex = (uint)memoryType,
                };
                VulkanException.Check(vk.AllocateMemory(context.Device, &allocateInfo, null, out _memory), "vkAllocateMemory");
                VulkanException.Check(vk.BindBufferMemory(context.Device, buffer, _memory, 0), "vkBindBufferMemory");
                void* mapped;
                VulkanException.Check(vk.MapMemory(context.Device, _memory, 0, SizeBytes, 0, &mapped), "vkMapMemory");
                _mapped = (float*)mapped;
            }
            catch
            {
                if (_memory.Handle != 0)
                    vk.FreeMemory(context.Device, _memory, null);
                vk.DestroyBuffer(context.Device, buffer, null);
                throw;
            }
        }

        /// <summary>Number of floats.</summary>
        public int Length { get; }

        public ulong SizeBytes { get; }

        internal VkBuffer Handle { get; }

        /// <summary>Copies <paramref name="values"/> into the buffer from element 0. Coherent memory needs no flush.</summary>
        public void Write(ReadOnlySpan<float> values)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (values.Length > Length)
                throw new ArgumentException("got " + values.Length + " values for a buffer of " + Length, nameof(values));
            values.CopyTo(new Span<float>(_mapped, Length));
        }

        /// <summary>A copy of the whole buffer; call only after the work that wrote it has finished.</summary>
        public float[] Read()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new ReadOnlySpan<float>(_mapped, Length).ToArray();
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            Vk vk = _context.Vk;
            vk.UnmapMemory(_context.Device, _memory);
            vk.DestroyBuffer(_context.Device, Handle, null);
            vk.FreeMemory(_context.Device, _memory, null);
        }
    }
}
