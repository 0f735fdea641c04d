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
        internal PageView(PageUse use, long owner, int block, int holders)
        {
            Use = use;
            Owner = owner;
            Block = block;
            Holders = holders;
        }

        public PageUse Use { get; }

        /// <summary>The id of the first request (in running, then waiting order) whose page table holds the page; -1 when none.</summary>
        public long Owner { get; }

        /// <summary>The page's place in <see cref="Owner"/>'s page table (its logical KV block, 0 first); -1 when no request holds it.</summary>
        public int Block { get; }

        /// <summary>Requests holding it (above 1 when a cached prefix is shared).</summary>
        public int Holders { get; }
    }
}
