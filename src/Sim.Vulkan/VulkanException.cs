using System;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>A Vulkan call returned an error code.</summary>
    public sealed class VulkanException : Exception
    {
        public VulkanException(string call, Result result)
            : base(call + " failed: " + result)
        {
            Result = result;
        }

        public Result Result { get; }

        /// <summary>Throws unless <paramref name="result"/> is Success.</summary>
        internal static void Check(Result result, string call)
        {
            if (result != Result.Success)
                throw new VulkanException(call, result);
        }
    }
}
