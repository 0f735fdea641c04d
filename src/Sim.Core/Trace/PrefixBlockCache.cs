using System;
using System.Collections.Generic;

namespace Sim.Core.Trace
{
    /// <summary>
    /// Replays prefix block hashes through a cache of whole 512-token blocks: an LRU of a given number of
    /// blocks, or an unbounded one. A request's hit blocks are the longest run of its blocks, from the first,
    /// already cached (reuse needs the whole prefix); then all its blocks are touched in position order.
    /// </summary>
    /// <remarks>
    /// Recency is an intrusive doubly linked list over slot arrays (no node objects); the dictionary only maps a
    /// block id to its slot and is never iterated, so eviction depends on recency alone and is deterministic.
    /// </remarks>
    public sealed class PrefixBlockCache
    {
        public const int BlockTokens = 512;
        const int None = -1;

        readonly long _capacityBlocks;
        readonly Dictionary<int, int> _slotOfBlock = new Dictionary<int, int>();
        int[] _blockOfSlot = new int[16];
        int[] _older = new int[16];
        int[] _newer = new int[16];
        int _oldest = None, _newest = None, _used;

        /// <param name="capacityTokens">Cache size in tokens, of which whole blocks are kept (floor(N / 512)); null for unbounded.</param>
        public PrefixBlockCache(long? capacityTokens)
        {
            if (capacityTokens < 0) throw new ArgumentOutOfRangeException(nameof(capacityTokens), capacityTokens, "must not be negative");
            _capacityBlocks = capacityTokens.HasValue ? capacityTokens.Value / BlockTokens : long.MaxValue;
        }

        public long PromptTokens { get; private set; }

        public long HitTokens { get; private set; }

        /// <summary>Hit tokens over prompt tokens of every request added so far; 0 before any prompt token.</summary>
        public double HitTokenRatio => PromptTokens > 0 ? (double)HitTokens / PromptTokens : 0;

        /// <summary>Replays one request; its hit tokens are min(hit blocks × 512, <paramref name="promptTokens"/>).</summary>
        /// <param name="hashIds">The request's block hashes in prompt order; empty for a request without any.</param>
        public void Add(int[] hashIds, int promptTokens)
        {
            int hitBlocks = 0;
            while (hitBlocks < hashIds.Length && _slotOfBlock.ContainsKey(hashIds[hitBlocks])) hitBlocks++;
            PromptTokens += promptTokens;
            HitTokens += Math.Min((long)hitBlocks * BlockTokens, promptTokens);
            if (_capacityBlocks == 0) return;
            foreach (int id in hashIds) Touch(id);
        }

        void Touch(int id)
        {
            if (_slotOfBlock.TryGetValue(id, out int slot))
            {
                Unlink(slot);
            }
            else if (_slotOfBlock.Count == _capacityBlocks)
            {
                slot = _oldest;
                Unlink(slot);
                _slotOfBlock.Remove(_blockOfSlot[slot]);
            }
            else
            {
                slot = NewSlot();
            }
            _blockOfSlot[slot] = id;
            _slotOfBlock[id] = slot;
            LinkNewest(slot);
        }

        int NewSlot()
        {
            if (_used == _blockOfSlot.Length)
            {
                Array.Resize(ref _blockOfSlot, _used * 2);
                Array.Resize(ref _older, _used * 2);
                Array.Resize(ref _newer, _used * 2);
            }
            return _used++;
        }

        void Unlink(int slot)
        {
            int older = _older[slot], newer = _newer[slot];
            if (older == None) _oldest = newer;
            else _newer[older] = newer;
            if (newer == None) _newest = older;
            else _older[newer] = older;
        }

        void LinkNewest(int slot)
        {
            _older[slot] = _newest;
            _newer[slot] = None;
            if (_newest == None) _oldest = slot;
            else _newer[_newest] = slot;
            _newest = slot;
        }
    }
}
