namespace Sim.Core.Ecs
{
    // Callbacks of World.Query: one call per matching entity, components by reference so they can be written.
    public delegate void ForEach<T0>(ref T0 c0);

    public delegate void ForEach<T0, T1>(ref T0 c0, ref T1 c1);

    public delegate void ForEach<T0, T1, T2>(ref T0 c0, ref T1 c1, ref T2 c2);

    public delegate void ForEachWithEntity<T0>(Entity entity, ref T0 c0);

    public delegate void ForEachWithEntity<T0, T1>(Entity entity, ref T0 c0, ref T1 c1);

    public delegate void ForEachWithEntity<T0, T1, T2>(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2);
}
