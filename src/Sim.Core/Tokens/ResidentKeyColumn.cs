using System;
using System.Collections.Generic;
using Sim.Core.Compute;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Every sequence slot's keys mirrored in one resident attention column. A slot's region holds its copies one after
    /// another at its arrays' stride (<see cref="SequenceTokens.Capacity"/> positions each), so a copy's new positions are
    /// one contiguous write; only positions written since the last step travel. A slot whose arrays grew takes a new
    /// region at the end; when the column is full it is made again, twice as large, and only the slots in use this step
    /// are uploaded into it (the others on their next use).
    /// </summary>
    internal sealed class ResidentKeyColumn : IDisposable
    {
        const int D = AttentionModel.KeyDim;

        /// <summary>Positions of the first column (2 MB of keys): a few sequences' worth; it doubles as needed.</summary>
        const int FirstColumnPositions = 1 << 16;

        readonly IResidentKernels _kernels;
        IResidentAttention? _column;
        // Positions handed out so far (regions are taken from the end).
        int _end;
        // Per slot: the region's first position, the stride it was laid out for (0: none), positions uploaded.
        int[] _start = new int[16], _stride = new int[16], _uploaded = new int[16];

        public ResidentKeyColumn(IResidentKernels kernels)
        {
            _kernels = kernels;
        }

        /// <summary>The column, once <see cref="Sync"/> has made it.</summary>
        public IResidentAttention Column => _column ?? throw new InvalidOperationException("no key column before the first sync");

        /// <summary>Key positions written to the column so far (uploads, for tests and measurements).</summary>
        public long UploadedPositions { get; private set; }

        /// <summary>The slot holds a new sequence: none of its keys are on the column yet.</summary>
        public void Restart(int slot)
        {
            Grow(slot);
            _uploaded[slot] = 0;
        }

        /// <summary>Every region forgotten (a restored snapshot): each slot is uploaded whole on its next use.</summary>
        public void Forget()
        {
            Array.Clear(_stride, 0, _stride.Length);
            Array.Clear(_uploaded, 0, _uploaded.Length);
            _end = 0;
        }

        /// <summary>Where <paramref name="copy"/> of the sequence in <paramref name="slot"/> starts in the column (after <see cref="Sync"/>).</summary>
        public int FirstPosition(int slot, int copy) => _start[slot] + copy * _stride[slot];

        /// <summary>Brings the slots of this step (<paramref name="slots"/>, each once) up to their sequences' positions.</summary>
        public void Sync(List<int> slots, List<SequenceTokens> sequences)
        {
            if (!TryPlace(slots, sequences))
            {
                long needed = 0;
                foreach (int slot in slots) needed += Length(sequences[slot]);
                long doubled = _column == null ? FirstColumnPositions : 2L * _column.Positions;
                Remake((int)Math.Min(int.MaxValue, Math.Max(doubled, 2 * needed)));
                if (!TryPlace(slots, sequences)) throw new InvalidOperationException("the step's sequences do not fit a column made for them");
            }
            foreach (int slot in slots)
            {
                SequenceTokens sequence = sequences[slot];
                int from = _uploaded[slot], to = sequence.Positions;
                if (to <= from) continue;
                for (int copy = 0; copy < sequence.Copies; copy++)
                    _column!.WriteKeys(FirstPosition(slot, copy) + from, new ReadOnlySpan<float>(sequence.Keys, sequence.RowStart(copy, from), (to - from) * D));
                UploadedPositions += (long)(to - from) * sequence.Copies;
                _uploaded[slot] = to;
            }
        }

        /// <summary>Gives every slot laid out for other arrays (or none) a region; false when the column has no room left.</summary>
        bool TryPlace(List<int> slots, List<SequenceTokens> sequences)
        {
            foreach (int slot in slots)
            {
                Grow(slot);
                SequenceTokens sequence = sequences[slot];
                if (_stride[slot] == sequence.Capacity) continue;
                int length = Length(sequence);
                if (_column == null || length > _column.Positions - _end) return false;
                _start[slot] = _end;
                _stride[slot] = sequence.Capacity;
                _uploaded[slot] = 0;
                _end += length;
            }
            return true;
        }

        void Remake(int positions)
        {
            _column?.Dispose();
            _column = null;
            Forget();
            _column = _kernels.Attention(positions);
        }

        static int Length(SequenceTokens sequence) => sequence.Copies * sequence.Capacity;

        void Grow(int slot)
        {
            if (slot < _start.Length) return;
            int length = Math.Max(slot + 1, _start.Length * 2);
            Array.Resize(ref _start, length);
            Array.Resize(ref _stride, length);
            Array.Resize(ref _uploaded, length);
        }

        public void Dispose() => _column?.Dispose();
    }
}
