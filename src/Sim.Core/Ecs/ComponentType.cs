using System;

namespace Sim.Core.Ecs
{
    /// <summary>A component type known to the ECS: a small process-wide id, the CLR type and its size.</summary>
    public readonly struct ComponentType : IEquatable<ComponentType>
    {
        internal ComponentType(int id, Type type, int sizeBytes)
        {
            Id = id;
            Type = type;
            SizeBytes = sizeBytes;
        }

        /// <summary>Dense id, 0-based in registration order; indexes per-archetype lookup tables.</summary>
        public int Id { get; }

        public Type Type { get; }

        /// <summary>Bytes one value occupies in a column; sizes chunks.</summary>
        public int SizeBytes { get; }

        public static ComponentType Of<T>() => ComponentType<T>.Value;

        public bool Equals(ComponentType other) => Id == other.Id;

        public override bool Equals(object? obj) => obj is ComponentType other && Equals(other);

        public override int GetHashCode() => Id;

        public override string ToString() => Type.Name + "#" + Id;
    }

    /// <summary>The registration of component type <typeparamref name="T"/>; the runtime runs the initializer once per process.</summary>
    public static class ComponentType<T>
    {
        public static readonly ComponentType Value = ComponentRegistry.Register(typeof(T), SizeOf(), new ColumnOps<T>());

        public static readonly int Id = Value.Id;

        // sizeof on an unconstrained type parameter reads the runtime's field layout size, references included;
        // netstandard2.1 has no Unsafe.SizeOf, and the value only sizes chunks, never addresses memory.
#pragma warning disable CS8500
        static unsafe int SizeOf() => sizeof(T);
#pragma warning restore CS8500
    }
}
