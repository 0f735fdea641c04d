using System;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// An immutable set of component ids as a bit set: the key of an archetype and the parts of a query.
    /// Words are trimmed (no trailing zero word) so equal sets compare equal word by word; the hash is precomputed
    /// so dictionary lookups on the hot path only compare.
    /// </summary>
    internal readonly struct ComponentSet : IEquatable<ComponentSet>
    {
        readonly ulong[]? _words;
        readonly int _hash;

        ComponentSet(ulong[]? words)
        {
            _words = words;
            Count = 0;
            int hash = 17;
            if (words != null)
            {
                foreach (ulong word in words)
                {
                    Count += PopCount(word);
                    hash = unchecked(hash * 31 + word.GetHashCode());
                }
            }
            _hash = hash;
        }

        public static ComponentSet Empty => default;

        public int Count { get; }

        public bool IsEmpty => Count == 0;

        public static ComponentSet Of(params int[] ids)
        {
            ulong[] words = Array.Empty<ulong>();
            foreach (int id in ids) words = SetBit(words, id);
            return new ComponentSet(words.Length == 0 ? null : words);
        }

        public bool Contains(int id)
        {
            int word = id >> 6;
            return _words != null && word < _words.Length && (_words[word] & (1UL << (id & 63))) != 0;
        }

        /// <summary>True when every id of <paramref name="other"/> is in this set.</summary>
        public bool ContainsAll(in ComponentSet other)
        {
            if (other._words == null) return true;
            for (int i = 0; i < other._words.Length; i++)
            {
                ulong mine = _words != null && i < _words.Length ? _words[i] : 0;
                if ((other._words[i] & ~mine) != 0) return false;
            }
            return true;
        }

        /// <summary>True when the two sets share at least one id.</summary>
        public bool Overlaps(in ComponentSet other)
        {
            if (_words == null || other._words == null) return false;
            int n = Math.Min(_words.Length, other._words.Length);
            for (int i = 0; i < n; i++)
            {
                if ((_words[i] & other._words[i]) != 0) return true;
            }
            return false;
        }

        public ComponentSet With(int id)
        {
            if (Contains(id)) return this;
            ulong[] words = _words == null ? Array.Empty<ulong>() : (ulong[])_words.Clone();
            return new ComponentSet(SetBit(words, id));
        }

        public ComponentSet Without(int id)
        {
            if (!Contains(id)) return this;
            var words = (ulong[])_words!.Clone();
            words[id >> 6] &= ~(1UL << (id & 63));
            int length = words.Length;
            while (length > 0 && words[length - 1] == 0) length--;
            if (length == 0) return Empty;
            if (length < words.Length) Array.Resize(ref words, length);
            return new ComponentSet(words);
        }

        public ComponentSet Union(in ComponentSet other)
        {
            if (other.IsEmpty) return this;
            if (IsEmpty) return other;
            var words = new ulong[Math.Max(_words!.Length, other._words!.Length)];
            for (int i = 0; i < words.Length; i++)
            {
                words[i] = (i < _words.Length ? _words[i] : 0) | (i < other._words.Length ? other._words[i] : 0);
            }
            return new ComponentSet(words);
        }

        /// <summary>The ids in ascending order.</summary>
        public int[] ToIds()
        {
            var ids = new int[Count];
            int n = 0;
            if (_words != null)
            {
                for (int w = 0; w < _words.Length; w++)
                {
                    for (int bit = 0; bit < 64; bit++)
                    {
                        if ((_words[w] & (1UL << bit)) != 0) ids[n++] = (w << 6) + bit;
                    }
                }
            }
            return ids;
        }

        public bool Equals(ComponentSet other)
        {
            if (ReferenceEquals(_words, other._words)) return true;
            if (_hash != other._hash || Count != other.Count) return false;
            ReadOnlySpan<ulong> mine = _words;
            return mine.SequenceEqual(other._words);
        }

        public override bool Equals(object? obj) => obj is ComponentSet other && Equals(other);

        public override int GetHashCode() => _hash;

        static ulong[] SetBit(ulong[] words, int id)
        {
            if (id < 0) throw new ArgumentOutOfRangeException(nameof(id));
            int word = id >> 6;
            if (word >= words.Length) Array.Resize(ref words, word + 1);
            words[word] |= 1UL << (id & 63);
            return words;
        }

        // netstandard2.1 lacks BitOperations.PopCount.
        static int PopCount(ulong value)
        {
            int count = 0;
            while (value != 0)
            {
                value &= value - 1;
                count++;
            }
            return count;
        }
    }
}
