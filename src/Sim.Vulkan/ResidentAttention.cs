using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;
using Sim.Core.Tokens;
using CommandBuffer = Silk.NET.Vulkan.CommandBuffer;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/attention_step.comp over device-resident key and score columns: the twin of <see cref="CpuResidentAttention"/>.
    /// Keys go up only where written; each step sends the sequences' queries, runs one dispatch over all of them and
    /// brings back one victim a sequence. <see cref="Probabilities"/> (shaders/attention_queries.comp) is token mode's
    /// step: every query over the same keys in one dispatch, its probabilities brought back.
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
        readonly ComputeKernel _kernel, _queryKernel;
        readonly ComputeBuffer _keys, _probabilities, _scores;
        readonly SubmissionCount _submissions;
        ComputeBuffer? _sequences, _victims, _queries, _outputs;

        /// <param name="useSubgroups">Take the subgroup build where the device allows it (false: the shared-memory build everywhere).</param>
        /// <param name="submissions">Counts this column's submissions (shared by a backend's columns); a count of its own when null.</param>
        public ResidentAttention(VulkanContext context, int positions, TimeSpan timeout, bool useSubgroups = true, SubmissionCount? submissions = null)
        {
            if (positions <= 0) throw new ArgumentOutOfRangeException(nameof(positions), positions, "at least one position");
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which the attention sum needs");
            _context = context;
            _timeout = timeout;
            Positions = positions;
            _submissions = submissions ?? new SubmissionCount();
            try
            {
                bool subgroups = useSubgroups && context.HasSubgroupArithmetic;
                _kernel = new ComputeKernel(context, subgroups ? "attention_step_subgroup" : "attention_step", bufferCount: 5, Marshal.SizeOf<Arguments>());
                _queryKernel = new ComputeKernel(context, subgroups ? "attention_queries_subgroup" : "attention_queries", bufferCount: 3, Marshal.SizeOf<Arguments>());
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

        /// <summary>Submissions of this column (and of those sharing its count).</summary>
        public long Submissions => _submissions.Value;

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
            _kernel.Bind([_sequences, _keys, _probabilities, _scores, _victims]);
            CommandBuffer commands = StepSubmission.Begin(_context, [_sequences, _keys, _scores]);
            // One workgroup a sequence.
            _kernel.Record(commands, new Arguments { Count = (uint)count }, _kernel.GroupsFor(count * ComputeKernel.LocalSize));
            StepSubmission.End(_context, commands, [(_victims, 0, count)], _timeout);
            _submissions.Add();
            _victims.ReadAt(0, victims.Slice(0, count));
        }

        public void Probabilities(ReadOnlySpan<AttentionQuery> queries, Span<float> probabilities)
        {
            int outputs = 0;
            foreach (AttentionQuery query in queries)
            {
                query.CheckFits(Positions, probabilities.Length);
                outputs = Math.Max(outputs, query.OutputOffset + query.Count);
            }
            if (queries.IsEmpty) return;
            int count = queries.Length;
            _queries = ComputeBuffer.GrownToFit(_queries, _context, count, Marshal.SizeOf<AttentionQuery>());
            _outputs = ComputeBuffer.GrownToFit(_outputs, _context, outputs);
            _queries.WriteAt(0, queries);
            _queryKernel.Bind([_queries, _keys, _outputs]);
            CommandBuffer commands = StepSubmission.Begin(_context, [_queries, _keys]);
            // One workgroup a query.
            _queryKernel.Record(commands, new Arguments { Count = (uint)count }, _queryKernel.GroupsFor(count * ComputeKernel.LocalSize));
            StepSubmission.End(_context, commands, [(_outputs, 0, outputs)], _timeout);
            _submissions.Add();
            // Query by query: what lies between their ranges is left as it was, as on the CPU.
            foreach (AttentionQuery query in queries) _outputs.ReadAt(query.OutputOffset, probabilities.Slice(query.OutputOffset, query.Count));
        }

        public void ReadScores(Span<float> scores)
        {
            StepSubmission.End(_context, StepSubmission.Begin(_context, [_scores]), [(_scores, 0, Positions)], _timeout);
            _scores.ReadAt(0, scores.Slice(0, Positions));
        }

        public void Dispose()
        {
            _kernel?.Dispose();
            _queryKernel?.Dispose();
            _keys?.Dispose();
            _probabilities?.Dispose();
            _scores?.Dispose();
            _sequences?.Dispose();
            _victims?.Dispose();
            _queries?.Dispose();
            _outputs?.Dispose();
        }
    }
}
