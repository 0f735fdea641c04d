using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Sim.Vulkan
{
    /// <summary>The SPIR-V compute shaders compiled from shaders/*.comp at build time and embedded in this assembly.</summary>
    public static class ShaderLibrary
    {
        const string Prefix = "shaders/";
        const string Suffix = ".spv";

        static readonly Assembly Assembly = typeof(ShaderLibrary).Assembly;

        /// <summary>Names of the embedded shaders (file names without .comp), sorted.</summary>
        public static IReadOnlyList<string> Names { get; } = Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
            .Select(n => n.Substring(Prefix.Length, n.Length - Prefix.Length - Suffix.Length))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

        /// <summary>The SPIR-V words of shader <paramref name="name"/>, as bytes.</summary>
        public static byte[] Load(string name)
        {
            using Stream? stream = Assembly.GetManifestResourceStream(Prefix + name + Suffix);
            if (stream == null)
                throw new InvalidOperationException("shader '" + name + "' is not embedded in Sim.Vulkan; embedded: " + string.Join(", ", Names));
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
    }
}
