using System;
using Sim.Core.Ecs;

namespace Sim.Core.Tokens
{
    /// <summary>One active sequence in token mode: the keys of all its positions (for the attention kernel and the full-cache reference), its resident token entities in position order, and live tokens per KV page.</summary>
    internal sealed class SequenceTokens
    {
        public long RequestId;

        public float[] Keys = new float[64 * AttentionModel.KeyDim];

        /// <summary>Positions with keys: the sequence's length so far.</summary>
        public int Positions;

        public Entity[] Resident = new Entity[64];

        public int ResidentCount;

        public int[] LivePerPage = new int[8];

        public void Reset(long requestId)
        {
            RequestId = requestId;
            Positions = 0;
            ResidentCount = 0;
            Array.Clear(LivePerPage, 0, LivePerPage.Length);
        }

        public void EnsureCapacity(int positions, int pages)
        {
            if (Keys.Length < positions * AttentionModel.KeyDim) Array.Resize(ref Keys, Math.Max(positions, Keys.Length / AttentionModel.KeyDim * 2) * AttentionModel.KeyDim);
            if (Resident.Length < positions) Array.Resize(ref Resident, Math.Max(positions, Resident.Length * 2));
            if (LivePerPage.Length < pages) Array.Resize(ref LivePerPage, Math.Max(pages, LivePerPage.Length * 2));
        }
    }
}
