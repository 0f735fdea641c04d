using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        // One value per type: world-wide state systems share (clock, cluster, metrics) so systems stay stateless. Slots are
        // indexed by a process-wide id per resource type, so a lookup (systems and scheduling steps make them every step)
        // is an array read rather than a hash of the type.
        object?[] _resources = new object?[16];

        /// <summary>Stores <paramref name="value"/> as the world's <typeparamref name="T"/>, replacing any earlier one.</summary>
        public void SetResource<T>(T value) where T : class
        {
            if (value == null) throw new ArgumentNullException(nameof(value), "SetResource<" + typeof(T).Name + ">: a resource cannot be null");
            int slot = ResourceSlot<T>.Id;
            if (slot >= _resources.Length) Array.Resize(ref _resources, Math.Max(slot + 1, _resources.Length * 2));
            _resources[slot] = value;
        }

        public T GetResource<T>() where T : class
        {
            if (TryGetResource(out T? value)) return value!;
            throw new InvalidOperationException("the world has no resource of type " + typeof(T).FullName +
                                                "; call SetResource<" + typeof(T).Name + ">(value) before the systems that read it run");
        }

        // Inlined so a caller naming T reads its slot directly, not through shared generic code's runtime type lookup.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryGetResource<T>(out T? value) where T : class
        {
            int slot = ResourceSlot<T>.Id;
            value = slot < _resources.Length ? (T?)_resources[slot] : null;
            return value != null;
        }

        /// <summary>A resource type's slot, numbered on first use in this process.</summary>
        static class ResourceSlot<T>
        {
            public static readonly int Id = ResourceSlots.Next();
        }

        static class ResourceSlots
        {
            static int _next = -1;

            public static int Next() => Interlocked.Increment(ref _next);
        }
    }
}
