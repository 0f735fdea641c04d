namespace Sim.Core.Host
{
    /// <summary>What one physical KV page holds now.</summary>
    public enum PageUse : byte
    {
        /// <summary>Empty: nobody holds it and it caches nothing.</summary>
        Free,

        /// <summary>Held by requests (<see cref="PageView.Owner"/> is the first of them).</summary>
        Owned,

        /// <summary>Holds a prefix-cache block nobody holds right now: reusable, and evictable.</summary>
        Cached,
    }

    /// <summary>One page of a replica's KV pool.</summary>
    public readonly struct PageView
    {
        internal PageView(PageUse use, long owner, int holders)
        {
            Use = use;
            Owner = owner;
            Holders = holders;
        }

        public PageUse Use { get; }

        /// <summary>The id of the first request (in running, then waiting order) whose page table holds the page; -1 when none.</summary>
        public long Owner { get; }

        /// <summary>Requests holding it (above 1 when a cached prefix is shared).</summary>
        public int Holders { get; }
    }
}
