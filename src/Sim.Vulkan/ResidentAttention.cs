using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;
using Sim.Core.Tokens;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/attention_step.comp over device-resident key and score columns: the twin of <see cref="CpuResidentAttention"/>.
    /// Keys go up only where written; each step sends the sequences' queries, runs one dispatch over all of them and
    /// brings back one victim a sequence.
    /// </summary>
    public sealed class ResidentAttention : IResidentAttention
    {
        const int D = AttentionModel.KeyDim;

        [StructLayout(LayoutKind.Sequential)]
        internal struct Arguments
        {
            public uint Count;
        }

        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly ComputeKernel _kernel;
        readonly ComputeBuffer _keys, _probabilities, _scores;
        ComputeBuffer? _sequences, _victims;

        /// <param name="useSubgroups">Take the subgroup build where the device allows it (false: the shared-memory build everywhere).</param>
        public ResidentAttention(VulkanContext context, int positions, TimeSpan timeout, bool useSubgroups = true)
        {
            if (positions <= 0) throw new ArgumentOutOfRangeException(nameof(positions), positions, "at least one position");
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which the attention sum needs");
            _context = context;
            _timeout = timeout;
            Positions = positions;
            try
            {
                _kernel = new ComputeKernel(context, useSubgroups && context.HasSubgroupArithmetic ? "attention_step_subgroup" : "attention_step", bufferCount: 5, Marshal.SizeOf<Arguments>());
                _keys = new ComputeBuffer(context, positions * D);
                _probabilities = new ComputeBuffer(context, positions);
                _scores = new ComputeBuffer(context, positions);
                // Device memory starts undefined: the columns start at zero, as the CPU's arrays do.
                _keys.WriteAt<float>(0, new float[positions * D]);
                _scores.WriteAt<float>(0, new float[positions]);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public int Positions { get; }

        public void WriteKeys(int firstPosition, ReadOnlySpan<float> keys) => _keys.WriteAt(firstPosition * D, keys);

        public void Step(ReadOnlySpan<SequenceQuery> sequences, Span<int> victims)
        {
            if (victims.Length < sequences.Length) throw new ArgumentException("one victim a sequence", nameof(victims));
            foreach (SequenceQuery sequence in sequences) sequence.CheckFits(Positions);
            if (sequences.IsEmpty) return;
            int count = sequences.Length;
            _sequences = ComputeBuffer.GrownToFit(_sequences, _context, count, Marshal.SizeOf<SequenceQuery>());
            _victims = ComputeBuffer.GrownToFit(_victims, _context, count, sizeof(int));
            _sequences.WriteAt(0, sequences);
            _kernel.Bind(new[] { _sequences, _keys, _probabilities, _scores, _victims });
            // One workgroup a sequence.
            var steps = new[] { (new Arguments { Count = (uint)count }, _kernel.GroupsFor(count * ComputeKernel.LocalSize)) };
            StepSubmission.Run(_context, new[] { _sequences, _keys, _scores }, commands => _kernel.Record(commands, steps),
                new[] { (_victims, 0, count) }, _timeout);
            _victims.ReadAt(0, victims.Slice(0, count));
        }

        public void ReadScores(Span<float> scores)
        {
            StepSubmission.Run(_context, new[] { _scores }, _ => { }, new[] { (_scores, 0, Positions) }, _timeout);
            _scores.ReadAt(0, scores.Slice(0, Positions));
        }

        public void Dispose()
        {
            _kernel?.Dispose();
            _keys?.Dispose();
            _probabilities?.Dispose();
            _scores?.Dispose();
            _sequences?.Dispose();
            _victims?.Dispose();
        }
    }
}
