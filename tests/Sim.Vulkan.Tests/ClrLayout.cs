using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Sim.Vulkan.Tests
{
    /// <summary>The memory layout of a C# struct or scalar as marshalled to a shader, written as <see cref="SpirvLayout"/> writes SPIR-V types.</summary>
    static class ClrLayout
    {
        public static string Describe(Type type)
        {
            if (type == typeof(float)) return "f32";
            if (type == typeof(double)) return "f64";
            if (type == typeof(int)) return "i32";
            if (type == typeof(uint)) return "u32";
            if (!type.IsValueType || type.IsPrimitive) throw new NotSupportedException(type + " has no shader counterpart");
            // Declaration order: LayoutKind.Sequential lays fields out in it, and metadata tokens follow it.
            FieldInfo[] fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(f => f.MetadataToken).ToArray();
            return "{" + string.Join(" ", fields.Select(f => Describe(f.FieldType) + "@" + Marshal.OffsetOf(type, f.Name))) + "}";
        }

        public static uint SizeBytes(Type type) => (uint)Marshal.SizeOf(type);

        /// <summary>A kernel's push-constant struct: by convention a private nested struct named Arguments.</summary>
        public static Type ArgumentsOf(Type kernel) =>
            kernel.GetNestedType("Arguments", BindingFlags.NonPublic) ?? throw new InvalidOperationException(kernel.Name + " has no nested Arguments struct");
    }
}
