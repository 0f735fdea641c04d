using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sim.Core
{
    /// <summary>
    /// Asks the kernel to map a fresh array's pages in one call before their first writes (Linux's
    /// <c>madvise(MADV_POPULATE_WRITE)</c>), instead of taking one page fault per 4 KiB page as rows are appended: the records of a
    /// run of a million requests and its request rows are about 60,000 pages, and a fault costs many times what mapping the
    /// same page in a batch does (several microseconds each under a virtual machine). Only a hint: it reads and changes
    /// nothing, and does nothing on another system, on a kernel without the call (before Linux 5.14), or on netstandard2.1.
    /// </summary>
    internal static class PageHint
    {
#if NET5_0_OR_GREATER
        const int PopulateWrite = 23; // MADV_POPULATE_WRITE
        static readonly long PageBytes = Environment.SystemPageSize;
        // Cleared at the first refusal: a kernel without the call refuses them all.
        static bool s_enabled = OperatingSystem.IsLinux();

        /// <summary>Whether the calls still go to the kernel (false on another system, or once the kernel has refused one).</summary>
        internal static bool Enabled => s_enabled;

        [DllImport("libc", EntryPoint = "madvise")]
        static extern int Madvise(IntPtr address, UIntPtr length, int advice);
#endif

        /// <summary>
        /// Maps the pages holding elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1 of
        /// <paramref name="array"/>, which must not move (allocated pinned): only whole pages that hold part of them, so
        /// nothing outside memory the array's own pages share.
        /// </summary>
        public static unsafe void Populate<T>(T[] array, int start, int count)
        {
#if NET5_0_OR_GREATER
            if (!s_enabled || count <= 0) return;
            long first = (long)Unsafe.AsPointer(ref array[start]);
            long end = first + (long)count * Unsafe.SizeOf<T>();
            first &= ~(PageBytes - 1);
            end = (end + PageBytes - 1) & ~(PageBytes - 1);
            try
            {
                if (Madvise(new IntPtr(first), new UIntPtr((ulong)(end - first)), PopulateWrite) != 0) s_enabled = false;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                s_enabled = false;
            }
#endif
        }

        /// <summary>
        /// A new array of <paramref name="length"/> elements that never moves (nor is copied as the collector promotes it), its
        /// elements not zeroed where the runtime allows (a type without references): for arrays whose elements are each written
        /// before they are read.
        /// </summary>
        public static T[] AllocatePinned<T>(int length) =>
#if NET5_0_OR_GREATER
            RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? GC.AllocateArray<T>(length, pinned: true) : GC.AllocateUninitializedArray<T>(length, pinned: true);
#else
            new T[length];
#endif

        /// <summary><see cref="AllocatePinned"/>, its pages mapped at once: for an array about to be filled from its start.</summary>
        public static T[] AllocateMapped<T>(int length)
        {
            T[] array = AllocatePinned<T>(length);
            Populate(array, 0, length);
            return array;
        }
    }
}
