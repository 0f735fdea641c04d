using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Sim.Headless.Output
{
    /// <summary>What stands at a path, without following a final symbolic link: .NET's file attributes cannot tell a device node or a pipe from a file.</summary>
    internal enum PathKindValue
    {
        Missing,
        RegularFile,
        Folder,
        Other,
    }

    internal static class PathKind
    {
        const int TypeMask = 0xF000, RegularType = 0x8000, FolderType = 0x4000;

        public static PathKindValue Of(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                if (Directory.Exists(path)) return PathKindValue.Folder;
                if (!File.Exists(path)) return PathKindValue.Missing;
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 ? PathKindValue.Other : PathKindValue.RegularFile;
            }
            Span<byte> status = stackalloc byte[256];
            if (LStat(path, ref MemoryMarshal.GetReference(status)) != 0)
                return File.Exists(path) || Directory.Exists(path) ? PathKindValue.Other : PathKindValue.Missing;
            // The runtime's shim fills a FileStatus whose second int is st_mode (after an int of flags), the same on every Unix it supports.
            int mode = MemoryMarshal.Read<int>(status.Slice(4));
            return (mode & TypeMask) switch
            {
                RegularType => PathKindValue.RegularFile,
                FolderType => PathKindValue.Folder,
                _ => PathKindValue.Other,
            };
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
        static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref byte status);
    }
}
