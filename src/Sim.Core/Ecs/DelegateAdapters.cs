namespace Sim.Core.Ecs
{
    // Wrap a delegate as a struct callback so delegate queries reuse the inline query loops.
    internal readonly struct DelegateAdapter<T0> : IForEach<T0>
    {
        readonly ForEach<T0> _action;

        public DelegateAdapter(ForEach<T0> action) => _action = action;

        public void Update(ref T0 c0) => _action(ref c0);
    }

    internal readonly struct DelegateAdapter<T0, T1> : IForEach<T0, T1>
    {
        readonly ForEach<T0, T1> _action;

        public DelegateAdapter(ForEach<T0, T1> action) => _action = action;

        public void Update(ref T0 c0, ref T1 c1) => _action(ref c0, ref c1);
    }

    internal readonly struct DelegateAdapter<T0, T1, T2> : IForEach<T0, T1, T2>
    {
        readonly ForEach<T0, T1, T2> _action;

        public DelegateAdapter(ForEach<T0, T1, T2> action) => _action = action;

        public void Update(ref T0 c0, ref T1 c1, ref T2 c2) => _action(ref c0, ref c1, ref c2);
    }

    internal readonly struct EntityDelegateAdapter<T0> : IForEachWithEntity<T0>
    {
        readonly ForEachWithEntity<T0> _action;

        public EntityDelegateAdapter(ForEachWithEntity<T0> action) => _action = action;

        public void Update(Entity entity, ref T0 c0) => _action(entity, ref c0);
    }

    internal readonly struct EntityDelegateAdapter<T0, T1> : IForEachWithEntity<T0, T1>
    {
        readonly ForEachWithEntity<T0, T1> _action;

        public EntityDelegateAdapter(ForEachWithEntity<T0, T1> action) => _action = action;

        public void Update(Entity entity, ref T0 c0, ref T1 c1) => _action(entity, ref c0, ref c1);
    }

    internal readonly struct EntityDelegateAdapter<T0, T1, T2> : IForEachWithEntity<T0, T1, T2>
    {
        readonly ForEachWithEntity<T0, T1, T2> _action;

        public EntityDelegateAdapter(ForEachWithEntity<T0, T1, T2> action) => _action = action;

        public void Update(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2) => _action(entity, ref c0, ref c1, ref c2);
    }
}
