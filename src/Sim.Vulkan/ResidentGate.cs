using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/gate.comp as a resident step, the twin of <see cref="CpuResidentGate"/>: the step's logits go up, the
    /// choices stay on the device, and only the experts' loads come back.
    /// </summary>
    public sealed class ResidentGate : IResidentGate
    {
        readonly VulkanContext _context;
        readonly TimeSpan _timeout;
        readonly int _maxTokens, _experts, _topK;
        readonly int[] _zeroLoad;
        readonly ComputeKernel _kernel;
        readonly ComputeBuffer _logits, _chosen, _load;
        int _tokens;

        public ResidentGate(VulkanContext context, int maxTokens, int experts, int topK, TimeSpan timeout)
        {
            if (maxTokens <= 0 || topK <= 0 || topK > experts || experts > GateKernel.MaxExperts)
                throw new ArgumentOutOfRangeException(nameof(maxTokens), "a gate of " + maxTokens + " tokens, top-" + topK + " of " + experts + " experts (at most " + GateKernel.MaxExperts + ")");
            _context = context;
            _timeout = timeout;
            _maxTokens = maxTokens;
            _experts = experts;
            _topK = topK;
            _zeroLoad = new int[experts];
            try
            {
                _kernel = new ComputeKernel(context, "gate", bufferCount: 3, Marshal.SizeOf<GateKernel.Arguments>());
                _logits = new ComputeBuffer(context, maxTokens * experts);
                _chosen = new ComputeBuffer(context, maxTokens * topK, sizeof(int));
                _load = new ComputeBuffer(context, experts, sizeof(int));
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Step(ReadOnlySpan<float> logits, int tokens, Span<int> expertLoad)
        {
            if (tokens > _maxTokens) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "the gate holds " + _maxTokens + " tokens a step");
            if (logits.Length < tokens * _experts || expertLoad.Length < _experts)
                throw new ArgumentException("gate spans do not fit " + tokens + " tokens x " + _experts + " experts");
            _tokens = tokens;
            if (tokens == 0)
            {
                expertLoad.Slice(0, _experts).Clear();
                return;
            }
            _logits.WriteAt(0, logits.Slice(0, tokens * _experts));
            _load.WriteAt<int>(0, _zeroLoad);
            _kernel.Bind(new[] { _logits, _chosen, _load });
            var steps = new[] { (new GateKernel.Arguments { Tokens = (uint)tokens, Experts = (uint)_experts, TopK = (uint)_topK }, _kernel.GroupsFor(tokens)) };
            StepSubmission.Run(_context, new[] { _logits, _load }, commands => _kernel.Record(commands, steps), new[] { (_load, 0, _experts) }, _timeout);
            _load.ReadAt(0, expertLoad.Slice(0, _experts));
        }

        public void ReadChosen(Span<int> chosenExperts)
        {
            int count = _tokens * _topK;
            StepSubmission.Run(_context, Array.Empty<ComputeBuffer>(), _ => { }, new[] { (_chosen, 0, count) }, _timeout);
            _chosen.ReadAt(0, chosenExperts.Slice(0, count));
        }

        public void Dispose()
        {
            _kernel?.Dispose();
            _logits?.Dispose();
            _chosen?.Dispose();
            _load?.Dispose();
        }
    }
}
