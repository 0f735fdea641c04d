namespace Sim.Core.Ecs
{
    // Callbacks of World.InlineQuery: implemented by a struct, so each call is direct and can be inlined.
    public interface IForEach<T0>
    {
        void Update(ref T0 c0);
    }

    public interface IForEach<T0, T1>
    {
        void Update(ref T0 c0, ref T1 c1);
    }

    public interface IForEach<T0, T1, T2>
    {
        void Update(ref T0 c0, ref T1 c1, ref T2 c2);
    }

    public interface IForEachWithEntity<T0>
    {
        void Update(Entity entity, ref T0 c0);
    }

    public interface IForEachWithEntity<T0, T1>
    {
        void Update(Entity entity, ref T0 c0, ref T1 c1);
    }

    public interface IForEachWithEntity<T0, T1, T2>
    {
        void Update(Entity entity, ref T0 c0, ref T1 c1, ref T2 c2);
    }
}
