using System;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// A handle to an entity: <see cref="Id"/> indexes the world's entity table and <see cref="Version"/> tells a
    /// live handle from a stale one whose id was recycled. Live versions start at 1, so <c>default</c> is <see cref="Null"/>.
    /// </summary>
    public readonly struct Entity : IEquatable<Entity>
    {
        /// <summary>Index into the world's entity table; reused after the entity is destroyed.</summary>
        public readonly int Id;

        /// <summary>Bumped every time <see cref="Id"/> is recycled; a handle is alive only while it matches the table.</summary>
        public readonly int Version;

        public Entity(int id, int version)
        {
            Id = id;
            Version = version;
        }

        /// <summary>The handle no live entity ever has (version 0).</summary>
        public static Entity Null => default;

        public bool IsNull => Version == 0;

        public bool Equals(Entity other) => Id == other.Id && Version == other.Version;

        public override bool Equals(object? obj) => obj is Entity other && Equals(other);

        public override int GetHashCode() => unchecked((Id * 397) ^ Version);

        public static bool operator ==(Entity left, Entity right) => left.Equals(right);

        public static bool operator !=(Entity left, Entity right) => !left.Equals(right);

        public override string ToString() => IsNull ? "Entity.Null" : "Entity(Id=" + Id + ", Version=" + Version + ")";
    }
}
