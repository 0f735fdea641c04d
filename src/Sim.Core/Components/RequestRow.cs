using System.Runtime.CompilerServices;
using Sim.Core.Ecs;

namespace Sim.Core.Components
{
    /// <summary>
    /// One request's components, found with one entity lookup: the systems and scheduling steps that visit a batch's or
    /// a queue's requests in order read and write them through this rather than a lookup per component. Valid until
    /// the request archetype changes structurally (requests are created in the arrive phase and destroyed through a
    /// command buffer after the complete phase's loop).
    /// </summary>
    public readonly struct RequestRow
    {
        readonly Chunk _chunk;
        readonly int _row;

        public RequestRow(World world, Entity request)
        {
            _chunk = world.Locate(request, out _row);
        }

        public Entity Entity => _chunk.Entities[_row];

        /// <summary>The chunk and row the request lives in, for callers that keep its columns for a stretch without structural changes.</summary>
        public Chunk Chunk => _chunk;

        public int Row => _row;

        public ref RequestInfo Info
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunk.Column<RequestInfo>()[_row];
        }

        public ref RequestProgress Progress
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunk.Column<RequestProgress>()[_row];
        }

        public ref RequestTimes Times
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunk.Column<RequestTimes>()[_row];
        }

        public ref KvPageTable Pages
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunk.Column<KvPageTable>()[_row];
        }

        public ref PrefixState Prefix
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunk.Column<PrefixState>()[_row];
        }

        public ref QueueLink Link
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunk.Column<QueueLink>()[_row];
        }

        /// <summary>Tokens the request must compute before its next output token: its prompt and generated tokens not in the KV cache.</summary>
        public int Uncomputed
        {
            get
            {
                ref RequestProgress progress = ref Progress;
                return Info.PromptTokens + progress.GeneratedTokens - progress.ComputedTokens;
            }
        }
    }
}
