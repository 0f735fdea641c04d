using System;
using System.Runtime.InteropServices;
using Sim.Core.Compute;

namespace Sim.Vulkan
{
    /// <summary>
    /// shaders/route_best.comp: the GPU twin of <c>CpuBackend.BestReplica</c>. Each pass leaves one winner per
    /// 1,024 candidates, so a million replicas take two passes; the winners ping-pong between two index buffers.
    /// </summary>
    public sealed class RouteKernel : IDisposable
    {
        /// <summary>Candidates one workgroup reduces in a pass: SIM_LOCAL_SIZE × ITEMS_PER_LANE in the shader.</summary>
        const int CandidatesPerGroup = ComputeKernel.LocalSize * 16;

        [StructLayout(LayoutKind.Sequential)]
        struct Arguments
        {
            public uint Count;
            public uint FirstPass;
        }

        readonly VulkanContext _context;
        readonly ComputeKernel _kernel;
        readonly TimeSpan _timeout;
        ComputeBuffer? _scores, _winnersA, _winnersB;

        public RouteKernel(VulkanContext context, TimeSpan timeout)
        {
            if (!context.HasFloat64) throw new NotSupportedException(context.DeviceInfo + " has no double-precision shaders, which replica loads need");
            _context = context;
            _timeout = timeout;
            _kernel = new ComputeKernel(context, "route_best", bufferCount: 3, Marshal.SizeOf<Arguments>());
        }

        public int BestReplica(ReadOnlySpan<ReplicaScore> replicas)
        {
            if (replicas.Length == 0) throw new ArgumentException("no candidate replicas", nameof(replicas));
            int winnersLength = GroupsFor(replicas.Length);
            _scores = ComputeBuffer.GrownToFit(_scores, _context, replicas.Length, Marshal.SizeOf<ReplicaScore>());
            _winnersA = ComputeBuffer.GrownToFit(_winnersA, _context, winnersLength, sizeof(uint));
            _winnersB = ComputeBuffer.GrownToFit(_winnersB, _context, winnersLength, sizeof(uint));
            _scores.Write(replicas);
            ComputeBuffer competing = _winnersB, winners = _winnersA;
            int count = replicas.Length;
            bool firstPass = true;
            while (true)
            {
                int groups = GroupsFor(count);
                _kernel.Dispatch([_scores, competing, winners], new Arguments { Count = (uint)count, FirstPass = firstPass ? 1u : 0u },
                    _kernel.GroupsFor(groups * ComputeKernel.LocalSize), _timeout);
                if (groups == 1)
                {
                    uint best = 0;
                    winners.ReadInto(new Span<uint>(ref best));
                    return (int)best;
                }
                (competing, winners) = (winners, competing);
                count = groups;
                firstPass = false;
            }
        }

        static int GroupsFor(int candidates) => (candidates + CandidatesPerGroup - 1) / CandidatesPerGroup;

        public void Dispose()
        {
            _kernel.Dispose();
            _scores?.Dispose();
            _winnersA?.Dispose();
            _winnersB?.Dispose();
        }
    }
}
