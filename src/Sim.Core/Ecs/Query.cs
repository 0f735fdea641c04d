using System;
using System.Collections.Generic;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// A description's matching archetypes, cached by the world. Archetypes are only ever added, so the cache is
    /// extended by checking the ones created since the last use, never rebuilt.
    /// </summary>
    internal sealed class Query
    {
        readonly QueryDescription _description;
        Archetype[] _matched = new Archetype[4];
        int _archetypesSeen;

        public Query(in QueryDescription description)
        {
            _description = description;
        }

        public int Count { get; private set; }

        public Archetype this[int index] => _matched[index];

        public void Refresh(List<Archetype> archetypes)
        {
            for (; _archetypesSeen < archetypes.Count; _archetypesSeen++)
            {
                Archetype archetype = archetypes[_archetypesSeen];
                if (!_description.Matches(archetype.Set)) continue;
                if (Count == _matched.Length) Array.Resize(ref _matched, _matched.Length * 2);
                _matched[Count++] = archetype;
            }
        }
    }
}
