using System;
using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;

namespace Sim.Vulkan
{
    /// <summary>A buffer and its own memory of the required kind, mapped when host-visible.</summary>
    internal readonly unsafe struct DeviceAllocation
    {
        public readonly VkBuffer Buffer;
        public readonly DeviceMemory Memory;
        public readonly byte* Mapped;

        DeviceAllocation(VkBuffer buffer, DeviceMemory memory, byte* mapped)
        {
            Buffer = buffer;
            Memory = memory;
            Mapped = mapped;
        }

        public static DeviceAllocation Create(VulkanContext context, ulong sizeBytes, BufferUsageFlags usage, MemoryPropertyFlags properties)
        {
            Vk vk = context.Vk;
            var bufferInfo = new BufferCreateInfo { SType = StructureType.BufferCreateInfo, Size = sizeBytes, Usage = usage, SharingMode = SharingMode.Exclusive };
            VulkanException.Check(vk.CreateBuffer(context.Device, &bufferInfo, null, out VkBuffer buffer), "vkCreateBuffer");
            DeviceMemory memory = default;
            try
            {
                vk.GetBufferMemoryRequirements(context.Device, buffer, out MemoryRequirements requirements);
                int memoryType = context.FindMemoryType(requirements.MemoryTypeBits, properties);
                if (memoryType < 0)
                    throw new InvalidOperationException("device " + context.DeviceInfo + " has no " + properties + " memory for these buffers");
                var allocateInfo = new MemoryAllocateInfo { SType = StructureType.MemoryAllocateInfo, AllocationSize = requirements.Size, MemoryTypeIndex = (uint)memoryType };
                VulkanException.Check(vk.AllocateMemory(context.Device, &allocateInfo, null, out memory), "vkAllocateMemory");
                VulkanException.Check(vk.BindBufferMemory(context.Device, buffer, memory, 0), "vkBindBufferMemory");
                void* mapped = null;
                if ((properties & MemoryPropertyFlags.HostVisibleBit) != 0)
                    VulkanException.Check(vk.MapMemory(context.Device, memory, 0, sizeBytes, 0, &mapped), "vkMapMemory");
                return new DeviceAllocation(buffer, memory, (byte*)mapped);
            }
            catch
            {
                if (memory.Handle != 0) vk.FreeMemory(context.Device, memory, null);
                vk.DestroyBuffer(context.Device, buffer, null);
                throw;
            }
        }

        public void Free(VulkanContext context)
        {
            if (Mapped != null) context.Vk.UnmapMemory(context.Device, Memory);
            context.Vk.DestroyBuffer(context.Device, Buffer, null);
            context.Vk.FreeMemory(context.Device, Memory, null);
        }
    }
}
