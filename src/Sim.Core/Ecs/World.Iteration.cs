using System.Collections.Generic;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        readonly Dictionary<QueryDescription, Query> _queries = new Dictionary<QueryDescription, Query>();

        /// <summary>Entities in the archetypes the description matches.</summary>
        public int CountEntities(in QueryDescription description)
        {
            Query query = GetQuery(in description);
            int count = 0;
            for (int a = 0; a < query.Count; a++) count += query[a].EntityCount;
            return count;
        }

        /// <summary>
        /// The non-empty chunks of the matching archetypes, for span loops: <c>foreach (Chunk chunk in world.GetChunks(q))</c>.
        /// While the foreach runs the world refuses structural changes; leaving the loop (break or exception) ends that.
        /// </summary>
        public ChunkEnumerable GetChunks(in QueryDescription description) => new ChunkEnumerable(this, GetQuery(in description));

        internal Query GetQuery(in QueryDescription description)
        {
            if (!_queries.TryGetValue(description, out Query? query))
            {
                query = new Query(in description);
                _queries.Add(description, query);
            }
            query.Refresh(_archetypes);
            return query;
        }

        internal Query BeginIteration(in QueryDescription description)
        {
            Query query = GetQuery(in description);
            _iterating++;
            return query;
        }

        internal Query BeginIteration(Query query)
        {
            query.Refresh(_archetypes);
            _iterating++;
            return query;
        }

        internal void EndIteration() => _iterating--;
    }
}
