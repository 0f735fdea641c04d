using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;
using CommandBuffer = Silk.NET.Vulkan.CommandBuffer;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/gate.comp (its <c>gate_segments</c> build) as a resident step, the twin of <see cref="CpuResidentGate"/>:
    /// the step's logits and each token's segment go up, the choices stay on the device unless asked for, and the
    /// segments' expert loads come back, all in one submission.
    /// </summary>
    public sealed class ResidentGate : IResidentGate
    {
        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly SubmissionCount _submissions;
        readonly int _maxTokens, _maxSegments, _experts, _topK;
        readonly int[] _zeroLoads;
        readonly ComputeKernel _kernel;
        readonly ComputeBuffer _logits, _chosen, _loads, _segments;
        int _tokens;

        /// <param name="submissions">Counts this gate's submissions (shared by a backend's gates); a count of its own when null.</param>
        public ResidentGate(VulkanContext context, int maxTokens, int maxSegments, int experts, int topK, TimeSpan timeout, SubmissionCount? submissions = null)
        {
            if (maxTokens <= 0 || maxSegments <= 0 || topK <= 0 || topK > experts || experts > GateKernel.MaxExperts)
                throw new ArgumentOutOfRangeException(nameof(maxTokens), "a gate of " + maxTokens + " tokens in " + maxSegments + " segments, top-" + topK + " of " + experts
                    + " experts (at most " + GateKernel.MaxExperts + ")");
            _context = context;
            _timeout = timeout;
            _submissions = submissions ?? new SubmissionCount();
            _maxTokens = maxTokens;
            _maxSegments = maxSegments;
            _experts = experts;
            _topK = topK;
            _zeroLoads = new int[maxSegments * experts];
            try
            {
                _kernel = new ComputeKernel(context, "gate_segments", bufferCount: 4, Marshal.SizeOf<GateKernel.Arguments>());
                _logits = new ComputeBuffer(context, maxTokens * experts);
                _chosen = new ComputeBuffer(context, maxTokens * topK, sizeof(int));
                _loads = new ComputeBuffer(context, maxSegments * experts, sizeof(int));
                _segments = new ComputeBuffer(context, maxTokens, sizeof(int));
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public long Submissions => _submissions.Value;

        public void Step(ReadOnlySpan<float> logits, ReadOnlySpan<int> segmentOfToken, int tokens, int segments, Span<int> segmentLoads, Span<int> chosenExperts)
        {
            ResidentGateChecks.Step(tokens, segments, _maxTokens, _maxSegments, _experts, _topK, logits, segmentOfToken, segmentLoads, chosenExperts);
            _tokens = tokens;
            if (tokens == 0)
            {
                segmentLoads.Slice(0, segments * _experts).Clear();
                return;
            }
            _logits.WriteAt(0, logits.Slice(0, tokens * _experts));
            _segments.WriteAt(0, segmentOfToken.Slice(0, tokens));
            _loads.WriteAt<int>(0, new ReadOnlySpan<int>(_zeroLoads, 0, segments * _experts));
            _kernel.Bind([_logits, _chosen, _loads, _segments]);
            CommandBuffer commands = StepSubmission.Begin(_context, [_logits, _segments, _loads]);
            _kernel.Record(commands, new GateKernel.Arguments { Tokens = (uint)tokens, Experts = (uint)_experts, TopK = (uint)_topK }, _kernel.GroupsFor(tokens));
            // The choices come back only where the caller reads them (a range of none is no copy).
            StepSubmission.End(_context, commands, [(_loads, 0, segments * _experts), (_chosen, 0, chosenExperts.IsEmpty ? 0 : tokens * _topK)], _timeout);
            _submissions.Add();
            _loads.ReadAt(0, segmentLoads.Slice(0, segments * _experts));
            if (!chosenExperts.IsEmpty) _chosen.ReadAt(0, chosenExperts.Slice(0, tokens * _topK));
        }

        public void ReadChosen(Span<int> chosenExperts)
        {
            int count = _tokens * _topK;
            StepSubmission.End(_context, StepSubmission.Begin(_context, []), [(_chosen, 0, count)], _timeout);
            _chosen.ReadAt(0, chosenExperts.Slice(0, count));
        }

        public void Dispose()
        {
            _kernel?.Dispose();
            _logits?.Dispose();
            _chosen?.Dispose();
            _loads?.Dispose();
            _segments?.Dispose();
        }
    }
}
