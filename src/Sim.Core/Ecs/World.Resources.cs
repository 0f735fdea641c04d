using System;
using System.Collections.Generic;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        // One value per type: world-wide state systems share (clock, cluster, metrics) so systems stay stateless.
        readonly Dictionary<Type, object> _resources = new Dictionary<Type, object>();

        /// <summary>Stores <paramref name="value"/> as the world's <typeparamref name="T"/>, replacing any earlier one.</summary>
        public void SetResource<T>(T value) where T : class
        {
            if (value == null) throw new ArgumentNullException(nameof(value), "SetResource<" + typeof(T).Name + ">: a resource cannot be null");
            _resources[typeof(T)] = value;
        }

        public T GetResource<T>() where T : class
        {
            if (_resources.TryGetValue(typeof(T), out object? value)) return (T)value;
            throw new InvalidOperationException("the world has no resource of type " + typeof(T).FullName +
                                                "; call SetResource<" + typeof(T).Name + ">(value) before the systems that read it run");
        }

        public bool TryGetResource<T>(out T? value) where T : class
        {
            if (_resources.TryGetValue(typeof(T), out object? found))
            {
                value = (T)found;
                return true;
            }
            value = null;
            return false;
        }
    }
}
