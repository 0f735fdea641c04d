using System;
using System.Collections.Generic;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>
    /// The minimum needed to run compute work: an instance, one logical device on the preferred physical device,
    /// its first compute queue, and one command buffer with its fence, re-recorded for every submission and waited on.
    /// </summary>
    public sealed unsafe class VulkanContext : IDisposable
    {
        readonly Instance _instance;
        readonly CommandPool _commandPool;
        readonly CommandBuffer _commandBuffer;
        readonly Fence _fence;
        VulkanException? _failure;
        bool _drained;
        bool _disposed;

        VulkanContext(Vk vk, Instance instance, PhysicalDevice physicalDevice, uint queueFamily, Device device,
            CommandPool commandPool, bool validationEnabled, bool forceStaging)
        {
            Vk = vk;
            _instance = instance;
            PhysicalDevice = physicalDevice;
            Device = device;
            _commandPool = commandPool;
            ValidationEnabled = validationEnabled;
            DeviceInfo = PhysicalDevices.Describe(vk, physicalDevice);
            vk.GetDeviceQueue(device, queueFamily, 0, out Queue queue);
            Queue = queue;
            vk.GetPhysicalDeviceProperties(physicalDevice, out PhysicalDeviceProperties properties);
            MaxWorkGroupCountX = properties.Limits.MaxComputeWorkGroupCount[0];
            MaxStorageBufferRange = properties.Limits.MaxStorageBufferRange;
            vk.GetPhysicalDeviceFeatures(physicalDevice, out PhysicalDeviceFeatures features);
            HasFloat64 = features.ShaderFloat64;
            HasSubgroupArithmetic = SupportsSubgroupArithmetic(vk, physicalDevice);
            UsesStaging = forceStaging || HasDeviceOnlyMemory();
            var allocateInfo = new CommandBufferAllocateInfo
            {
                SType = StructureType.CommandBufferAllocateInfo,
                CommandPool = commandPool,
                Level = CommandBufferLevel.Primary,
                CommandBufferCount = 1,
            };
            VulkanException.Check(vk.AllocateCommandBuffers(device, &allocateInfo, out _commandBuffer), "vkAllocateCommandBuffers");
            var fenceInfo = new FenceCreateInfo { SType = StructureType.FenceCreateInfo };
            VulkanException.Check(vk.CreateFence(device, &fenceInfo, null, out _fence), "vkCreateFence");
        }

        internal Vk Vk { get; }
        internal PhysicalDevice PhysicalDevice { get; }
        internal Device Device { get; }
        internal Queue Queue { get; }

        /// <summary>The physical device this context runs on.</summary>
        public VulkanDeviceInfo DeviceInfo { get; }

        /// <summary>True when VK_LAYER_KHRONOS_validation was requested and installed.</summary>
        public bool ValidationEnabled { get; }

        /// <summary>
        /// Whether buffers live in device-local memory, filled and read back through host-visible staging copies: on
        /// devices with memory the host cannot map (discrete GPUs), or when asked for (to test the path on lavapipe).
        /// </summary>
        public bool UsesStaging { get; }

        /// <summary>How long a staging copy may take before it counts as a hang.</summary>
        public TimeSpan CopyTimeout { get; } = TimeSpan.FromSeconds(60);

        /// <summary>Whether shaders may use doubles (enabled at device creation when the device has them).</summary>
        public bool HasFloat64 { get; }

        /// <summary>Whether compute shaders may use subgroup arithmetic (subgroupMax and the like; core in Vulkan 1.1 where listed).</summary>
        public bool HasSubgroupArithmetic { get; }

        /// <summary>Largest storage buffer a shader may address, in bytes.</summary>
        public ulong MaxStorageBufferRange { get; }

        /// <summary>Largest workgroup count one dispatch may use along x.</summary>
        public uint MaxWorkGroupCountX { get; }

        /// <summary>
        /// Opens the preferred device that has a compute queue (<see cref="DevicePreference"/>).
        /// Throws <see cref="InvalidOperationException"/> when no device can run compute; call
        /// <see cref="VulkanProbe.Probe"/> first to find out without an exception.
        /// </summary>
        /// <param name="forceStaging">Use the staging path even where the host can map device memory (tests).</param>
        public static VulkanContext Create(bool validationIfPresent, bool forceStaging = false)
        {
            Vk vk = VulkanLoader.Open();
            Instance instance = default;
            Device device = default;
            try
            {
                instance = InstanceFactory.Create(vk, validationIfPresent, out bool validationEnabled);
                PhysicalDevice physicalDevice = ChoosePhysicalDevice(vk, instance);
                uint queueFamily = (uint)PhysicalDevices.FindComputeQueueFamily(vk, physicalDevice);
                device = CreateDevice(vk, physicalDevice, queueFamily);
                var poolInfo = new CommandPoolCreateInfo
                {
                    SType = StructureType.CommandPoolCreateInfo,
                    QueueFamilyIndex = queueFamily,
                    // One command buffer, re-recorded for every submission.
                    Flags = CommandPoolCreateFlags.ResetCommandBufferBit,
                };
                VulkanException.Check(vk.CreateCommandPool(device, &poolInfo, null, out CommandPool commandPool), "vkCreateCommandPool");
                return new VulkanContext(vk, instance, physicalDevice, queueFamily, device, commandPool, validationEnabled, forceStaging);
            }
            catch
            {
                if (device.Handle != IntPtr.Zero)
                    vk.DestroyDevice(device, null);
                if (instance.Handle != IntPtr.Zero)
                    vk.DestroyInstance(instance, null);
                vk.Dispose();
                throw;
            }
        }

        static PhysicalDevice ChoosePhysicalDevice(Vk vk, Instance instance)
        {
            var candidates = new List<PhysicalDevice>();
            var kinds = new List<VulkanDeviceKind>();
            foreach (PhysicalDevice candidate in vk.GetPhysicalDevices(instance))
            {
                if (PhysicalDevices.FindComputeQueueFamily(vk, candidate) < 0)
                    continue;
                candidates.Add(candidate);
                kinds.Add(PhysicalDevices.Describe(vk, candidate).Kind);
            }
            int chosen = DevicePreference.Choose(kinds);
            if (chosen < 0)
                throw new InvalidOperationException("no Vulkan physical device with a compute queue");
            return candidates[chosen];
        }

        static Device CreateDevice(Vk vk, PhysicalDevice physicalDevice, uint queueFamily)
        {
            float priority = 1f;
            var queueInfo = new DeviceQueueCreateInfo
            {
                SType = StructureType.DeviceQueueCreateInfo,
                QueueFamilyIndex = queueFamily,
                QueueCount = 1,
                PQueuePriorities = &priority,
            };
            // Double precision for the kernels whose CPU twins compute in doubles (eviction scores), where the device has it.
            vk.GetPhysicalDeviceFeatures(physicalDevice, out PhysicalDeviceFeatures available);
            var enabled = new PhysicalDeviceFeatures { ShaderFloat64 = available.ShaderFloat64 };
            var deviceInfo = new DeviceCreateInfo
            {
                SType = StructureType.DeviceCreateInfo,
                QueueCreateInfoCount = 1,
                PQueueCreateInfos = &queueInfo,
                PEnabledFeatures = &enabled,
            };
            VulkanException.Check(vk.CreateDevice(physicalDevice, &deviceInfo, null, out Device device), "vkCreateDevice");
            return device;
        }

        static bool SupportsSubgroupArithmetic(Vk vk, PhysicalDevice physicalDevice)
        {
            var subgroup = new PhysicalDeviceSubgroupProperties { SType = StructureType.PhysicalDeviceSubgroupProperties };
            var properties = new PhysicalDeviceProperties2 { SType = StructureType.PhysicalDeviceProperties2, PNext = &subgroup };
            vk.GetPhysicalDeviceProperties2(physicalDevice, &properties);
            const SubgroupFeatureFlags needed = SubgroupFeatureFlags.BasicBit | SubgroupFeatureFlags.ArithmeticBit;
            return (subgroup.SupportedStages & ShaderStageFlags.ComputeBit) != 0 && (subgroup.SupportedOperations & needed) == needed;
        }

        /// <summary>Whether some device-local memory type cannot be mapped by the host: compute wants it, the host reaches it by copies.</summary>
        bool HasDeviceOnlyMemory()
        {
            Vk.GetPhysicalDeviceMemoryProperties(PhysicalDevice, out PhysicalDeviceMemoryProperties memory);
            for (int i = 0; i < memory.MemoryTypeCount; i++)
            {
                MemoryPropertyFlags flags = memory.MemoryTypes[i].PropertyFlags;
                if ((flags & MemoryPropertyFlags.DeviceLocalBit) != 0 && (flags & MemoryPropertyFlags.HostVisibleBit) == 0)
                    return true;
            }
            return false;
        }

        /// <summary>Index of a memory type allowed by <paramref name="allowedTypeBits"/> that has all of <paramref name="required"/>, or -1.</summary>
        internal int FindMemoryType(uint allowedTypeBits, MemoryPropertyFlags required)
        {
            Vk.GetPhysicalDeviceMemoryProperties(PhysicalDevice, out PhysicalDeviceMemoryProperties memory);
            for (int i = 0; i < memory.MemoryTypeCount; i++)
            {
                if ((allowedTypeBits & (1u << i)) != 0 && (memory.MemoryTypes[i].PropertyFlags & required) == required)
                    return i;
            }
            return -1;
        }

        /// <summary>Submissions made so far, each waited on: how a run's device work is counted (tests, measurements).</summary>
        public long Submissions { get; private set; }

        /// <summary>
        /// Starts recording the context's one command buffer; the caller records its commands into it, then calls
        /// <see cref="SubmitAndWait"/>. No delegate: a step's submission allocates nothing.
        /// </summary>
        internal CommandBuffer BeginCommands()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_failure != null)
                throw new VulkanException("the Vulkan context cannot be used after an earlier failure: " + _failure.Message, _failure.Result);
            try
            {
                CommandBuffer commandBuffer = _commandBuffer;
                Fence fence = _fence;
                VulkanException.Check(Vk.ResetFences(Device, 1, &fence), "vkResetFences");
                VulkanException.Check(Vk.ResetCommandBuffer(commandBuffer, 0), "vkResetCommandBuffer");
                var beginInfo = new CommandBufferBeginInfo
                {
                    SType = StructureType.CommandBufferBeginInfo,
                    Flags = CommandBufferUsageFlags.OneTimeSubmitBit,
                };
                VulkanException.Check(Vk.BeginCommandBuffer(commandBuffer, &beginInfo), "vkBeginCommandBuffer");
                return commandBuffer;
            }
            catch (VulkanException e)
            {
                _failure = e;
                throw;
            }
        }

        /// <summary>
        /// Ends the command buffer <see cref="BeginCommands"/> started, submits it and waits for its fence at most
        /// <paramref name="timeout"/>. A timeout or a lost device throws <see cref="VulkanException"/> rather than hanging,
        /// and leaves the context unusable: the work may still be in flight on the buffer.
        /// </summary>
        internal void SubmitAndWait(TimeSpan timeout)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (timeout <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive");
            try
            {
                CommandBuffer commandBuffer = _commandBuffer;
                Fence fence = _fence;
                VulkanException.Check(Vk.EndCommandBuffer(commandBuffer), "vkEndCommandBuffer");
                var submitInfo = new SubmitInfo
                {
                    SType = StructureType.SubmitInfo,
                    CommandBufferCount = 1,
                    PCommandBuffers = &commandBuffer,
                };
                VulkanException.Check(Vk.QueueSubmit(Queue, 1, &submitInfo, fence), "vkQueueSubmit");
                Submissions++;
                ulong timeoutNs = (ulong)timeout.Ticks * 100;
                Result waited = Vk.WaitForFences(Device, 1, &fence, true, timeoutNs);
                if (waited == Result.Timeout)
                    throw new VulkanException("Vulkan work did not finish within " + timeout.TotalSeconds + " s on " + DeviceInfo, Result.Timeout);
                VulkanException.Check(waited, "vkWaitForFences");
            }
            catch (VulkanException e)
            {
                _failure = e;
                throw;
            }
        }

        /// <summary>
        /// Whether a failed submission may still be running: then its buffers, pipelines and the device must not be
        /// destroyed (that could crash the process) and are left to the driver at exit. A timed-out submission that
        /// finishes within another <see cref="CopyTimeout"/> frees everything as usual; a lost device never does.
        /// </summary>
        internal bool MayHaveWorkInFlight
        {
            get
            {
                if (_failure == null || _drained) return false;
                Fence fence = _fence;
                _drained = _failure.Result == Result.Timeout
                    && Vk.WaitForFences(Device, 1, &fence, true, (ulong)CopyTimeout.Ticks * 100) == Result.Success;
                return !_drained;
            }
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            if (MayHaveWorkInFlight)
            {
                Vk.Dispose();
                return;
            }
            Vk.DestroyFence(Device, _fence, null);
            Vk.DestroyCommandPool(Device, _commandPool, null);
            Vk.DestroyDevice(Device, null);
            Vk.DestroyInstance(_instance, null);
            Vk.Dispose();
        }
    }
}
