using System;
using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;

namespace Sim.Vulkan
{
    /// <summary>
    /// A storage buffer of fixed-size elements (floats, ints) that the host reads and writes directly through a
    /// persistent mapping.
    /// It lives in host-visible, host-coherent memory: lavapipe has exactly one memory type and it is host-visible,
    /// and real GPUs also offer such a type (system memory over PCIe), so this works everywhere but is slow for
    /// kernels on a discrete GPU; device-local buffers with a staging copy come with the compute-backend issue.
    /// </summary>
    public sealed unsafe class ComputeBuffer : IDisposable
    {
        readonly VulkanContext _context;
        readonly DeviceMemory _memory;
        readonly byte* _mapped;
        bool _disposed;

        /// <param name="length">Elements the buffer holds.</param>
        /// <param name="elementBytes">Bytes of one element (4 for float, int or uint).</param>
        public ComputeBuffer(VulkanContext context, int length, int elementBytes = sizeof(float))
        {
            if (length <= 0)
                throw new ArgumentOutOfRangeException(nameof(length), length, "a Vulkan buffer must hold at least one element");
            _context = context;
            Length = length;
            ElementBytes = elementBytes;
            SizeBytes = (ulong)length * (ulong)elementBytes;
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
                _mapped = (byte*)mapped;
            }
            catch
            {
                if (_memory.Handle != 0)
                    vk.FreeMemory(context.Device, _memory, null);
                vk.DestroyBuffer(context.Device, buffer, null);
                throw;
            }
        }

        /// <summary>
        /// A buffer of at least <paramref name="length"/> elements: <paramref name="buffer"/> when it is large enough, else a
        /// new one of twice its length (or <paramref name="length"/>) replacing it, so kernels reuse device memory.
        /// </summary>
        public static ComputeBuffer GrownToFit(ComputeBuffer? buffer, VulkanContext context, int length, int elementBytes = sizeof(float))
        {
            if (buffer != null && buffer.Length >= length) return buffer;
            int grown = Math.Max(length, (buffer?.Length ?? 0) * 2);
            buffer?.Dispose();
            return new ComputeBuffer(context, grown, elementBytes);
        }

        /// <summary>Number of elements.</summary>
        public int Length { get; }

        public int ElementBytes { get; }

        public ulong SizeBytes { get; }

        internal VkBuffer Handle { get; }

        /// <summary>Copies <paramref name="values"/> into the buffer from element 0. Coherent memory needs no flush.</summary>
        public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckElement<T>();
            if (values.Length > Length)
                throw new ArgumentException("got " + values.Length + " values for a buffer of " + Length, nameof(values));
            values.CopyTo(new Span<T>(_mapped, Length));
        }

        /// <summary>A copy of the first <paramref name="count"/> elements; call only after the work that wrote them has finished.</summary>
        public T[] Read<T>(int count) where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckElement<T>();
            if (count < 0 || count > Length) throw new ArgumentOutOfRangeException(nameof(count), count, "the buffer holds " + Length);
            return new ReadOnlySpan<T>(_mapped, count).ToArray();
        }

        public T[] Read<T>() where T : unmanaged => Read<T>(Length);

        void CheckElement<T>() where T : unmanaged
        {
            if (sizeof(T) != ElementBytes)
                throw new ArgumentException(typeof(T).Name + " is " + sizeof(T) + " bytes; this buffer's elements are " + ElementBytes);
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
