using System;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        public void Query<T0>(in QueryDescription description, ForEach<T0> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var adapter = new DelegateAdapter<T0>(action);
            InlineQuery<DelegateAdapter<T0>, T0>(in description, ref adapter);
        }

        public void Query<T0, T1>(in QueryDescription description, ForEach<T0, T1> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var adapter = new DelegateAdapter<T0, T1>(action);
            InlineQuery<DelegateAdapter<T0, T1>, T0, T1>(in description, ref adapter);
        }

        public void Query<T0, T1, T2>(in QueryDescription description, ForEach<T0, T1, T2> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var adapter = new DelegateAdapter<T0, T1, T2>(action);
            InlineQuery<DelegateAdapter<T0, T1, T2>, T0, T1, T2>(in description, ref adapter);
        }

        public void Query<T0>(in QueryDescription description, ForEachWithEntity<T0> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var adapter = new EntityDelegateAdapter<T0>(action);
            InlineEntityQuery<EntityDelegateAdapter<T0>, T0>(in description, ref adapter);
        }

        public void Query<T0, T1>(in QueryDescription description, ForEachWithEntity<T0, T1> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var adapter = new EntityDelegateAdapter<T0, T1>(action);
            InlineEntityQuery<EntityDelegateAdapter<T0, T1>, T0, T1>(in description, ref adapter);
        }

        public void Query<T0, T1, T2>(in QueryDescription description, ForEachWithEntity<T0, T1, T2> action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            var adapter = new EntityDelegateAdapter<T0, T1, T2>(action);
            InlineEntityQuery<EntityDelegateAdapter<T0, T1, T2>, T0, T1, T2>(in description, ref adapter);
        }
    }
}
