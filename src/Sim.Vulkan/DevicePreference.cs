using System.Collections.Generic;

namespace Sim.Vulkan
{
    /// <summary>Which physical device the compute context uses when several can run compute.</summary>
    public static class DevicePreference
    {
        /// <summary>
        /// Index of the preferred device: discrete GPU, then integrated, virtual, other, and a CPU rasteriser last;
        /// ties go to the earlier device in the loader's order so the choice is stable. -1 when the list is empty.
        /// </summary>
        public static int Choose(IReadOnlyList<VulkanDeviceKind> kinds)
        {
            int best = -1;
            for (int i = 0; i < kinds.Count; i++)
            {
                if (best < 0 || Rank(kinds[i]) < Rank(kinds[best]))
                    best = i;
            }
            return best;
        }

        static int Rank(VulkanDeviceKind kind) => kind switch
        {
            VulkanDeviceKind.DiscreteGpu => 0,
            VulkanDeviceKind.IntegratedGpu => 1,
            VulkanDeviceKind.VirtualGpu => 2,
            VulkanDeviceKind.Other => 3,
            _ => 4,
        };
    }
}
