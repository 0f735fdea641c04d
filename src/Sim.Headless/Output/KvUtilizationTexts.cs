using System;

namespace Sim.Headless.Output
{
    /// <summary>
    /// iterations.csv's kv_utilization text by used pages: a replica's used-page count takes at most total + 1 values, so each
    /// share is formatted once and then copied (the shortest round-trip text of a double is the costliest part of a row).
    /// Kept for one KV size, the first met up to <see cref="MostPages"/> pages; other sizes' shares are formatted afresh.
    /// </summary>
    internal sealed class KvUtilizationTexts
    {
        const int MostPages = 1 << 16;
        const int TextBytes = 32;

        int _totalPages;
        // Each used-page count's text at its own TextBytes-long slot; its length, 0 while not yet formatted.
        byte[] _texts = Array.Empty<byte>();
        byte[] _lengths = Array.Empty<byte>();

        /// <summary>Whether <paramref name="usedPages"/> of <paramref name="totalPages"/> has its text kept here: then <see cref="Of"/> gives it.</summary>
        public bool Keeps(int usedPages, int totalPages)
        {
            if (_lengths.Length == 0 && totalPages > 0 && totalPages <= MostPages)
            {
                _totalPages = totalPages;
                _texts = new byte[(totalPages + 1) * TextBytes];
                _lengths = new byte[totalPages + 1];
            }
            return totalPages == _totalPages && (uint)usedPages <= (uint)totalPages && _lengths.Length > 0;
        }

        /// <summary>The text of (double)<paramref name="usedPages"/> / total, for a count <see cref="Keeps"/> said yes to.</summary>
        public ReadOnlySpan<byte> Of(int usedPages)
        {
            Span<byte> slot = _texts.AsSpan(usedPages * TextBytes, TextBytes);
            if (_lengths[usedPages] == 0) _lengths[usedPages] = (byte)CsvLineWriter.Format((double)usedPages / _totalPages, slot);
            return slot.Slice(0, _lengths[usedPages]);
        }
    }
}
