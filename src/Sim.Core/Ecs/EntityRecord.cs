namespace Sim.Core.Ecs
{
    /// <summary>Where an entity id lives now. A free id keeps the version its next entity will get and no archetype.</summary>
    internal struct EntityRecord
    {
        public Archetype? Archetype;
        public Chunk? Chunk;
        public int Row;
        public int Version;
    }
}
