using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Replays prefix block hashes through a cache of whole 512-token blocks: an LRU of a given number of
    /// blocks, or an unbounded one. A request's hit blocks are the longest run of its blocks, from the first,
    /// already cached (reuse needs the whole prefix); then all its blocks are touched in order.
    /// </summary>
    public sealed class PrefixBlockCache
    {
        public const int BlockTokens = 512;

        readonly long _capacityBlocks;
        readonly Dictionary<int, LinkedListNode<int>> _nodes = new Dictionary<int, LinkedListNode<int>>();
        readonly LinkedList<int> _recency = new LinkedList<int>(); // most recent last

        /// <param name="capacityTokens">Cache size in tokens (whole blocks are kept); null for unbounded.</param>
        public PrefixBlockCache(long? capacityTokens)
        {
            _capacityBlocks = capacityTokens.HasValue ? capacityTokens.Value / BlockTokens : long.MaxValue;
        }

        public long PromptTokens { get; private set; }

        public long HitTokens { get; private set; }

        public double HitTokenRatio => PromptTokens > 0 ? (double)HitTokens / PromptTokens : 0;

        public void Add(int[] hashIds, int promptTokens)
        {
            int hitBlocks = 0;
            while (hitBlocks < hashIds.Length && _nodes.ContainsKey(hashIds[hitBlocks])) hitBlocks++;
            PromptTokens += promptTokens;
            HitTokens += System.Math.Min((long)hitBlocks * BlockTokens, promptTokens);
            if (_capacityBlocks == 0) return;
            foreach (int id in hashIds) Touch(id);
        }

        void Touch(int id)
        {
            if (_nodes.TryGetValue(id, out LinkedListNode<int>? node))
            {
                _recency.Remove(node);
                _recency.AddLast(node);
                return;
            }
            if (_nodes.Count == _capacityBlocks)
            {
                _nodes.Remove(_recency.First!.Value);
                _recency.RemoveFirst();
            }
            _nodes[id] = _recency.AddLast(id);
        }
    }
}
