using System;
using System.Threading;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Process-wide table of component types by id. <see cref="ComponentType{T}"/>'s initializer registers each type
    /// exactly once; registration takes a lock (tests run worlds in parallel) and lookups read a published array
    /// without one, because entries are never changed once written.
    /// </summary>
    internal static class ComponentRegistry
    {
        static readonly object Gate = new object();
        static ComponentType[] _types = new ComponentType[64];
        static ColumnOps[] _ops = new ColumnOps[64];
        static int _count;

        public static ComponentType Register(Type type, int sizeBytes, ColumnOps ops)
        {
            lock (Gate)
            {
                var componentType = new ComponentType(_count, type, sizeBytes);
                ComponentType[] types = _types;
                ColumnOps[] allOps = _ops;
                if (_count == types.Length)
                {
                    Array.Resize(ref types, types.Length * 2);
                    Array.Resize(ref allOps, allOps.Length * 2);
                }
                types[_count] = componentType;
                allOps[_count] = ops;
                Volatile.Write(ref _types, types);
                Volatile.Write(ref _ops, allOps);
                _count++;
                return componentType;
            }
        }

        /// <summary>The registered type with this assembly-qualified name (how snapshots name columns); false when this process has none.</summary>
        public static bool TryFind(string assemblyQualifiedName, out ComponentType type)
        {
            ComponentType[] types = Volatile.Read(ref _types);
            for (int id = 0; id < types.Length && types[id].Type != null; id++)
                if (types[id].Type.AssemblyQualifiedName == assemblyQualifiedName)
                {
                    type = types[id];
                    return true;
                }
            type = default;
            return false;
        }

        public static ComponentType Type(int id) => Volatile.Read(ref _types)[id];

        public static ColumnOps Ops(int id) => Volatile.Read(ref _ops)[id];
    }
}
