using System;
using System.Runtime.InteropServices;
using Sim.Core.Tokens;
using Sim.Core.Tokens.Policies;

namespace Sim.Vulkan
{
    /// <summary>shaders/token_score.comp: the GPU twin of <c>CpuBackend.TokenKeys</c>, one invocation per resident token.</summary>
    public sealed class TokenScoreKernel : IDisposable
    {
        [StructLayout(LayoutKind.Sequential)]
        internal struct Arguments
        {
            public uint Count;
            public uint Policy;
            public int SequencePositions;
            public int Sinks;
            public int RecentTokens;
            public int ObservationWindow;
        }

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _positions, _scores, _lastImportant, _recurrence, _keys;

        public TokenScoreKernel(VulkanContext context, TimeSpan timeout)
        {
            _context = context;
            _timeout = timeout;
            _kernel = new ComputeKernel(context, "token_score", bufferCount: 5, Marshal.SizeOf<Arguments>());
        }

        /// <summary>As <c>CpuBackend.TokenKeys</c>; the raw policy number lets the tests reach ids past the registry.</summary>
        public void TokenKeys(uint policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys)
        {
            int count = positions.Length;
            if (scores.Length < count || lastImportantSteps.Length < count || maxRecurrenceIntervals.Length < count || keys.Length < count)
                throw new ArgumentException("one score, step, interval and key per token", nameof(keys));
            if (count == 0) return;
            _positions = ComputeBuffer.GrownToFit(_positions, _context, count, sizeof(int));
            _scores = ComputeBuffer.GrownToFit(_scores, _context, count, sizeof(float));
            _lastImportant = ComputeBuffer.GrownToFit(_lastImportant, _context, count, sizeof(int));
            _recurrence = ComputeBuffer.GrownToFit(_recurrence, _context, count, sizeof(int));
            _keys = ComputeBuffer.GrownToFit(_keys, _context, count, sizeof(float));
            _positions.Write(positions);
            _scores.Write(scores.Slice(0, count));
            _lastImportant.Write(lastImportantSteps.Slice(0, count));
            _recurrence.Write(maxRecurrenceIntervals.Slice(0, count));
            var args = new Arguments
            {
                Count = (uint)count,
                Policy = policy,
                SequencePositions = arguments.Positions,
                Sinks = arguments.Sinks,
                RecentTokens = arguments.RecentTokens,
                ObservationWindow = arguments.ObservationWindow,
            };
            _kernel.Dispatch([_positions, _scores, _lastImportant, _recurrence, _keys], args, _kernel.GroupsFor(count), _timeout);
            _keys.ReadInto(keys.Slice(0, count));
        }

        public void TokenKeys(CompressionPolicy policy, in TokenKeyArguments arguments, ReadOnlySpan<int> positions, ReadOnlySpan<float> scores,
            ReadOnlySpan<int> lastImportantSteps, ReadOnlySpan<int> maxRecurrenceIntervals, Span<float> keys) =>
            TokenKeys((uint)policy, arguments, positions, scores, lastImportantSteps, maxRecurrenceIntervals, keys);

        public void Dispose()
        {
            _kernel.Dispose();
            _positions?.Dispose();
            _scores?.Dispose();
            _lastImportant?.Dispose();
            _recurrence?.Dispose();
            _keys?.Dispose();
        }
    }
}
