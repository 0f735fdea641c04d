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

        /// <summary>Resident tokens kept at low precision (<c>mikv</c>), packed apart from the positional pages.</summary>
        public int LowPrecisionCount;

        /// <summary>Resident token entities on each KV page (one per position and layer group).</summary>
        public int[] LivePerPage = new int[8];

        public readonly int[] ResidentPerLayer;

        /// <summary>Each layer group's attention dispersion: the normalised entropy of its attention, averaged over steps.</summary>
        public readonly double[] Dispersion;

        public SequenceTokens(int layers)
        {
            ResidentPerLayer = new int[layers];
            Dispersion = new double[layers];
        }

        public void Reset(long requestId)
        {
            RequestId = requestId;
            Positions = 0;
            ResidentCount = 0;
            LowPrecisionCount = 0;
            Array.Clear(LivePerPage, 0, LivePerPage.Length);
            Array.Clear(ResidentPerLayer, 0, ResidentPerLayer.Length);
            for (int l = 0; l < Dispersion.Length; l++) Dispersion[l] = 1;
        }

        public void EnsureCapacity(int positions, int pages)
        {
            int layers = ResidentPerLayer.Length;
            if (Keys.Length < positions * AttentionModel.KeyDim) Array.Resize(ref Keys, Math.Max(positions, Keys.Length / AttentionModel.KeyDim * 2) * AttentionModel.KeyDim);
            if (Resident.Length < positions * layers) Array.Resize(ref Resident, Math.Max(positions * layers, Resident.Length * 2));
            if (LivePerPage.Length < pages) Array.Resize(ref LivePerPage, Math.Max(pages, LivePerPage.Length * 2));
        }
    }
}
