using System;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Which archetypes a query visits: those with every type of All, at least one type of Any (when Any is
    /// non-empty) and no type of None. Each With… call returns a new description with the types added, so
    /// descriptions can be built inline: <c>new QueryDescription().WithAll&lt;A, B&gt;().WithNone&lt;C&gt;()</c>.
    /// A first With… of each kind reuses a cached set and allocates nothing.
    /// </summary>
    public readonly struct QueryDescription : IEquatable<QueryDescription>
    {
        QueryDescription(in ComponentSet all, in ComponentSet any, in ComponentSet none)
        {
            All = all;
            Any = any;
            None = none;
        }

        internal ComponentSet All { get; }

        internal ComponentSet Any { get; }

        internal ComponentSet None { get; }

        public QueryDescription WithAll<T0>() => WithAll(Signature<T0>.Set);

        public QueryDescription WithAll<T0, T1>() => WithAll(Signature<T0, T1>.Set);

        public QueryDescription WithAll<T0, T1, T2>() => WithAll(Signature<T0, T1, T2>.Set);

        public QueryDescription WithAll<T0, T1, T2, T3>() => WithAll(Signature<T0, T1, T2, T3>.Set);

        public QueryDescription WithAny<T0>() => WithAny(Signature<T0>.Set);

        public QueryDescription WithAny<T0, T1>() => WithAny(Signature<T0, T1>.Set);

        public QueryDescription WithAny<T0, T1, T2>() => WithAny(Signature<T0, T1, T2>.Set);

        public QueryDescription WithAny<T0, T1, T2, T3>() => WithAny(Signature<T0, T1, T2, T3>.Set);

        public QueryDescription WithNone<T0>() => WithNone(Signature<T0>.Set);

        public QueryDescription WithNone<T0, T1>() => WithNone(Signature<T0, T1>.Set);

        public QueryDescription WithNone<T0, T1, T2>() => WithNone(Signature<T0, T1, T2>.Set);

        public QueryDescription WithNone<T0, T1, T2, T3>() => WithNone(Signature<T0, T1, T2, T3>.Set);

        QueryDescription WithAll(in ComponentSet types) => new QueryDescription(All.Union(types), Any, None);

        QueryDescription WithAny(in ComponentSet types) => new QueryDescription(All, Any.Union(types), None);

        QueryDescription WithNone(in ComponentSet types) => new QueryDescription(All, Any, None.Union(types));

        internal bool Matches(in ComponentSet archetype) =>
            archetype.ContainsAll(All) && (Any.IsEmpty || archetype.Overlaps(Any)) && !archetype.Overlaps(None);

        public bool Equals(QueryDescription other) => All.Equals(other.All) && Any.Equals(other.Any) && None.Equals(other.None);

        public override bool Equals(object? obj) => obj is QueryDescription other && Equals(other);

        public override int GetHashCode() => unchecked((All.GetHashCode() * 31 + Any.GetHashCode()) * 31 + None.GetHashCode());
    }
}
