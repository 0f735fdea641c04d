using System;
using System.IO;
using System.Runtime.InteropServices;
using Silk.NET.Core.Contexts;

namespace Sim.Vulkan
{
    /// <summary>
    /// The Vulkan loader library, opened by its platform name through the runtime's own <see cref="NativeLibrary"/>.
    /// Silk.NET's default context searches the app's deps.json and assembly folders first, which an ahead-of-time
    /// compiled single binary does not have (its loader code reads <c>Assembly.Location</c>); the loader is a system
    /// library, found by name either way.
    /// </summary>
    internal sealed class VulkanLibrary : INativeContext
    {
        static readonly string[] Names = OperatingSystem.IsWindows() ? new[] { "vulkan-1.dll" }
            : OperatingSystem.IsMacOS() ? new[] { "libvulkan.dylib", "libvulkan.1.dylib", "libMoltenVK.dylib" }
            : new[] { "libvulkan.so.1", "libvulkan.so" };

        readonly IntPtr _handle;

        VulkanLibrary(IntPtr handle) => _handle = handle;

        /// <summary>Throws <see cref="FileNotFoundException"/>, as Silk.NET does, when no loader library can be loaded.</summary>
        public static VulkanLibrary Open()
        {
            foreach (string name in Names)
                if (NativeLibrary.TryLoad(name, out IntPtr handle)) return new VulkanLibrary(handle);
            throw new FileNotFoundException("the Vulkan loader library was not found (tried " + string.Join(", ", Names) + ")");
        }

        public IntPtr GetProcAddress(string proc, int? slot = null) =>
            TryGetProcAddress(proc, out IntPtr address, slot) ? address : throw new EntryPointNotFoundException(proc);

        public bool TryGetProcAddress(string proc, out IntPtr address, int? slot = null) => NativeLibrary.TryGetExport(_handle, proc, out address);

        public void Dispose() => NativeLibrary.Free(_handle);
    }
}
