using System;
using Silk.NET.Vulkan;

namespace Sim.Vulkan
{
    /// <summary>A Vulkan call returned an error code, or the device stopped answering.</summary>
    public class VulkanException : Exception
    {
        internal VulkanException(string message, Result result)
            : base(message)
        {
            Result = result;
        }

        public Result Result { get; }

        /// <summary>Throws unless <paramref name="result"/> is Success; a lost device gets its own type, since nothing after it can be trusted.</summary>
        public static void Check(Result result, string call)
        {
            if (result == Result.Success)
                return;
            if (result == Result.ErrorDeviceLost)
                throw new VulkanDeviceLostException(call);
            throw new VulkanException(call + " failed: " + result, result);
        }
    }

    /// <summary>
    /// The device was lost (a driver reset, a GPU fault, a hung dispatch killed by the OS): every result since the
    /// last good wait is suspect and the context cannot be used again.
    /// </summary>
    public sealed class VulkanDeviceLostException : VulkanException
    {
        public VulkanDeviceLostException(string call)
            : base("the Vulkan device was lost during " + call + " (driver reset or GPU fault)", Result.ErrorDeviceLost)
        {
        }
    }
}
