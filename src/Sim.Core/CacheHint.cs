using System.Runtime.CompilerServices;
#if NETCOREAPP3_0_OR_GREATER
using System.Runtime.Intrinsics.X86;
#endif

namespace Sim.Core
{
    /// <summary>
    /// Asks the processor to bring an array element's cache line in ahead of its use, so that loads of rows that have gone cold
    /// (a request's columns are separate arrays of its chunk) overlap instead of each waiting for the last. Only a hint: it
    /// reads and changes nothing, and does nothing where the target has no prefetch instruction.
    /// </summary>
    internal static class CacheHint
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void Fetch<T>(T[] array, int index)
        {
#if NETCOREAPP3_0_OR_GREATER
            if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref array[index]));
#endif
        }

        /// <summary><see cref="Fetch{T}"/> of both ends of the element: the lines of one larger than a line's part of it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void FetchWhole<T>(T[] array, int index)
        {
#if NETCOREAPP3_0_OR_GREATER
            if (!Sse.IsSupported) return;
            byte* first = (byte*)Unsafe.AsPointer(ref array[index]);
            Sse.Prefetch0(first);
            Sse.Prefetch0(first + Unsafe.SizeOf<T>() - 1);
#endif
        }
    }
}
