using System;
using Sim.Core.Ecs;
using Sim.Core.Snapshots;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// One active sequence in token mode. Per copy (layer group and head): the keys and values of all its positions
    /// (the full cache the kept one is measured against), the quantisation error of positions kept at low precision,
    /// and its resident token entities in position order, with their policy state in columns beside them (the scoring and
    /// eviction loops read these columns, never the world: one step touches every resident token of every copy). Per KV
    /// page: live token entities over all copies. Arrays are flat, copy after copy at a stride of
    /// <see cref="Capacity"/> entries, so snapshots keep them as they are.
    /// </summary>
    internal sealed class SequenceTokens : ISnapshotState
    {
        const int D = AttentionModel.KeyDim;

        public long RequestId;

        /// <summary>Prompt positions: the question the decode returns to (see <see cref="AttentionModel.TopicAt"/>).</summary>
        public int PromptTokens;

        /// <summary>Positions with keys: the sequence's length so far.</summary>
        public int Positions;

        /// <summary>Whether the prompt has been computed (nothing is evicted before: every chunk is scored first).</summary>
        public bool PrefillDone;

        /// <summary>Positions each copy has room for.</summary>
        public int Capacity;

        public readonly int Copies;

        public float[] Keys, Values;

        /// <summary>Dequantised minus true key and value of each position kept at low precision (<c>mikv</c> only; empty otherwise); zero at full precision.</summary>
        public float[] KeyError, ValueError;

        public Entity[] Resident;

        /// <summary>Per resident token (indexed as <see cref="Resident"/>): its position, as its entity's <c>KvToken.Position</c>.</summary>
        public int[] ResidentPosition;

        /// <summary>
        /// Per resident token: the policy's importance: attention accumulated over every query so far (<c>h2o</c>,
        /// <c>mikv</c>), the pooled observation-window vote (<c>snapkv</c>), or CAKE's indicator (<c>cake</c>).
        /// </summary>
        public float[] Score;

        /// <summary>Per resident token: last step (position of the query) that gave it more than an even share; -1 before any (<c>lazy</c>).</summary>
        public int[] LastImportantStep;

        /// <summary>Per resident token: LazyEviction's maximum recurrence interval, the longest gap between steps that gave it more than an even share; 0 until it recurs.</summary>
        public int[] MaxRecurrenceInterval;

        /// <summary>Per resident token: bits per stored element, as its entity's <c>KvToken.Bits</c>.</summary>
        public byte[] Bits;

        /// <summary>Per copy and position: attention summed over the prompt's queries so far (H2O's prefill scores).</summary>
        public double[] PromptScore;

        public readonly int[] ResidentCount;

        /// <summary>Per copy: resident tokens kept at low precision (<c>mikv</c>), packed apart from the positional pages.</summary>
        public readonly int[] LowPrecisionCount;

        /// <summary>Resident token entities on each KV page (one per position and copy).</summary>
        public int[] LivePerPage = new int[8];

        /// <summary>Per copy: entropy of its observation window's attention and the variance over the window summed over positions (CAKE's dispersion and shift).</summary>
        public readonly double[] WindowEntropy, WindowVariance;

        /// <summary>Per copy: resident tokens it may keep, fixed at the end of the prefill (CAKE's layer budgets; the budget otherwise).</summary>
        public readonly int[] CopyBudget;

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(RequestId);
            writer.Write(PromptTokens);
            writer.Write(Positions);
            writer.Write(PrefillDone);
            writer.Write(Capacity);
            writer.Write(Keys);
            writer.Write(Values);
            writer.Write(KeyError);
            writer.Write(ValueError);
            writer.Write(Resident);
            writer.Write(ResidentPosition);
            writer.Write(Score);
            writer.Write(LastImportantStep);
            writer.Write(MaxRecurrenceInterval);
            writer.Write(Bits);
            writer.Write(PromptScore);
            writer.Write(ResidentCount);
            writer.Write(LowPrecisionCount);
            writer.Write(LivePerPage);
            writer.Write(WindowEntropy);
            writer.Write(WindowVariance);
            writer.Write(CopyBudget);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            RequestId = reader.Read<long>();
            PromptTokens = reader.Read<int>();
            Positions = reader.Read<int>();
            PrefillDone = reader.Read<bool>();
            Capacity = reader.Read<int>();
            Keys = reader.Read<float[]>();
            Values = reader.Read<float[]>();
            KeyError = reader.Read<float[]>();
            ValueError = reader.Read<float[]>();
            Resident = reader.Read<Entity[]>();
            ResidentPosition = reader.Read<int[]>();
            Score = reader.Read<float[]>();
            LastImportantStep = reader.Read<int[]>();
            MaxRecurrenceInterval = reader.Read<int[]>();
            Bits = reader.Read<byte[]>();
            PromptScore = reader.Read<double[]>();
            reader.ReadInto(ResidentCount);
            reader.ReadInto(LowPrecisionCount);
            LivePerPage = reader.Read<int[]>();
            reader.ReadInto(WindowEntropy);
            reader.ReadInto(WindowVariance);
            reader.ReadInto(CopyBudget);
        }

        /// <param name="quantises">Whether tokens may be kept at low precision (<c>mikv</c>), which needs room for their errors.</param>
        public SequenceTokens(int copies, bool quantises)
        {
            Copies = copies;
            Capacity = 64;
            Keys = new float[copies * Capacity * D];
            Values = new float[copies * Capacity * D];
            KeyError = new float[quantises ? copies * Capacity * D : 0];
            ValueError = new float[quantises ? copies * Capacity * D : 0];
            Resident = new Entity[copies * Capacity];
            ResidentPosition = new int[copies * Capacity];
            Score = new float[copies * Capacity];
            LastImportantStep = new int[copies * Capacity];
            MaxRecurrenceInterval = new int[copies * Capacity];
            Bits = new byte[copies * Capacity];
            PromptScore = new double[copies * Capacity];
            ResidentCount = new int[copies];
            LowPrecisionCount = new int[copies];
            WindowEntropy = new double[copies];
            WindowVariance = new double[copies];
            CopyBudget = new int[copies];
        }

        /// <summary>Keys of a copy's first <paramref name="count"/> positions, row-major (the attention kernel's input).</summary>
        public ReadOnlySpan<float> KeysOf(int copy, int count) => new ReadOnlySpan<float>(Keys, copy * Capacity * D, count * D);

        public Span<float> Row(float[] perPosition, int copy, int position) => new Span<float>(perPosition, (copy * Capacity + position) * D, D);

        public int RowStart(int copy, int position) => (copy * Capacity + position) * D;

        /// <summary>Index in <see cref="Resident"/> of a copy's i-th resident token.</summary>
        public int ResidentAt(int copy, int i) => copy * Capacity + i;

        /// <summary>Appends a resident token at full precision to a copy, with no score yet.</summary>
        public void AddResident(int copy, Entity token, int position)
        {
            int at = ResidentAt(copy, ResidentCount[copy]++);
            Resident[at] = token;
            ResidentPosition[at] = position;
            Score[at] = 0;
            LastImportantStep[at] = -1;
            MaxRecurrenceInterval[at] = 0;
            Bits[at] = 16;
        }

        /// <summary>Moves <paramref name="count"/> of a copy's resident tokens (entities and columns) from its <paramref name="from"/>-th place to its <paramref name="to"/>-th.</summary>
        public void MoveResidents(int copy, int from, int to, int count)
        {
            int source = ResidentAt(copy, from), target = ResidentAt(copy, to);
            Array.Copy(Resident, source, Resident, target, count);
            Array.Copy(ResidentPosition, source, ResidentPosition, target, count);
            Array.Copy(Score, source, Score, target, count);
            Array.Copy(LastImportantStep, source, LastImportantStep, target, count);
            Array.Copy(MaxRecurrenceInterval, source, MaxRecurrenceInterval, target, count);
            Array.Copy(Bits, source, Bits, target, count);
        }

        public int TotalResident
        {
            get
            {
                int total = 0;
                foreach (int count in ResidentCount) total += count;
                return total;
            }
        }

        public int TotalLowPrecision
        {
            get
            {
                int total = 0;
                foreach (int count in LowPrecisionCount) total += count;
                return total;
            }
        }

        public void Reset(long requestId, int promptTokens)
        {
            RequestId = requestId;
            PromptTokens = promptTokens;
            Positions = 0;
            PrefillDone = false;
            Array.Clear(ResidentCount, 0, ResidentCount.Length);
            Array.Clear(LowPrecisionCount, 0, LowPrecisionCount.Length);
            Array.Clear(LivePerPage, 0, LivePerPage.Length);
            Array.Clear(WindowEntropy, 0, Copies);
            Array.Clear(WindowVariance, 0, Copies);
            Array.Clear(CopyBudget, 0, Copies);
            Array.Clear(KeyError, 0, KeyError.Length);
            Array.Clear(PromptScore, 0, PromptScore.Length);
            Array.Clear(ValueError, 0, ValueError.Length);
        }

        public void EnsureCapacity(int positions, int pages)
        {
            if (positions > Capacity)
            {
                int capacity = Math.Max(positions, Capacity * 2);
                Keys = Restride(Keys, capacity, D);
                Values = Restride(Values, capacity, D);
                KeyError = Restride(KeyError, capacity, D);
                ValueError = Restride(ValueError, capacity, D);
                Resident = Restride(Resident, capacity, 1);
                ResidentPosition = Restride(ResidentPosition, capacity, 1);
                Score = Restride(Score, capacity, 1);
                LastImportantStep = Restride(LastImportantStep, capacity, 1);
                MaxRecurrenceInterval = Restride(MaxRecurrenceInterval, capacity, 1);
                Bits = Restride(Bits, capacity, 1);
                PromptScore = Restride(PromptScore, capacity, 1);
                Capacity = capacity;
            }
            if (LivePerPage.Length < pages) Array.Resize(ref LivePerPage, Math.Max(pages, LivePerPage.Length * 2));
        }

        T[] Restride<T>(T[] old, int capacity, int width)
        {
            if (old.Length == 0) return old;
            var grown = new T[Copies * capacity * width];
            for (int c = 0; c < Copies; c++) Array.Copy(old, c * Capacity * width, grown, c * capacity * width, Capacity * width);
            return grown;
        }
    }
}
