using System.Collections.Generic;

namespace Sim.Core.Ecs
{
    public sealed partial class World
    {
        readonly Dictionary<QueryDescription, Query> _queries = new Dictionary<QueryDescription, Query>();

        /// <summary>Entities in the archetypes the description matches.</summary>
        public int CountEntities(in QueryDescription description) => CountEntities(GetQuery(in description));

        internal int CountEntities(Query query)
        {
            query.Refresh(_archetypes);
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

        /// <summary>
        /// Starts visiting the description's archetypes: until <see cref="EndIteration"/>, structural changes to those
        /// archetypes are refused (a row moved by a swap-remove would be skipped or seen twice); other archetypes may
        /// change, e.g. token entities created while the replicas are visited. <paramref name="visiting"/> is how many of
        /// the query's archetypes the iteration covers: those it has now.
        /// </summary>
        internal Query BeginIteration(in QueryDescription description, out int visiting) => BeginIteration(GetQuery(in description), out visiting);

        internal Query BeginIteration(Query query, out int visiting)
        {
            query.Refresh(_archetypes);
            visiting = query.Count;
            for (int a = 0; a < visiting; a++) query[a].Visitors++;
            _iterating++;
            return query;
        }

        internal void EndIteration(Query query, int visiting)
        {
            for (int a = 0; a < visiting; a++) query[a].Visitors--;
            _iterating--;
        }
    }
}
