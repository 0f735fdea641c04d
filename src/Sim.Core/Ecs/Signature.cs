namespace Sim.Core.Ecs
{
    // The component set of each generic arity, computed once per type combination so Create, queries and
    // descriptions look up archetypes without building a set. Count below the arity means a repeated type.
    // Slot indexes a world's per-signature archetype cache, sparing Create a dictionary lookup.
    internal static class SignatureSlots
    {
        static int _next = -1;

        public static int Next() => System.Threading.Interlocked.Increment(ref _next);
    }

    internal static class Signature<T0>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set = ComponentSet.Of(ComponentType<T0>.Id);
    }

    internal static class Signature<T0, T1>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set = ComponentSet.Of(ComponentType<T0>.Id, ComponentType<T1>.Id);
    }

    internal static class Signature<T0, T1, T2>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set =
            ComponentSet.Of(ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id);
    }

    internal static class Signature<T0, T1, T2, T3>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set =
            ComponentSet.Of(ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id, ComponentType<T3>.Id);
    }

    internal static class Signature<T0, T1, T2, T3, T4>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set = ComponentSet.Of(
            ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id, ComponentType<T3>.Id, ComponentType<T4>.Id);
    }

    internal static class Signature<T0, T1, T2, T3, T4, T5>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set = ComponentSet.Of(
            ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id, ComponentType<T3>.Id, ComponentType<T4>.Id, ComponentType<T5>.Id);
    }

    internal static class Signature<T0, T1, T2, T3, T4, T5, T6>
    {
        public static readonly int Slot = SignatureSlots.Next();

        public static readonly ComponentSet Set = ComponentSet.Of(
            ComponentType<T0>.Id, ComponentType<T1>.Id, ComponentType<T2>.Id, ComponentType<T3>.Id, ComponentType<T4>.Id, ComponentType<T5>.Id,
            ComponentType<T6>.Id);
    }
}
