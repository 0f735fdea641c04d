using System;
using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// The request columns the fast-forward reads and writes, of the chunk it located last: requests share few chunks, so a
    /// run of them in one chunk looks its columns up once. A chunk keeps the column arrays it was made with, and every
    /// request is located afresh, so the columns kept stay right across structural changes; forgetting them only costs a look-up.
    /// </summary>
    internal sealed class RequestColumns
    {
        Chunk? _chunk;

        public RequestInfo[] Infos { get; private set; } = Array.Empty<RequestInfo>();

        public RequestProgress[] Progress { get; private set; } = Array.Empty<RequestProgress>();

        public RequestTimes[] Times { get; private set; } = Array.Empty<RequestTimes>();

        public KvPageTable[] Tables { get; private set; } = Array.Empty<KvPageTable>();

        public void Forget() => _chunk = null;

        /// <summary>Locates <paramref name="request"/>: its row in the columns, which now are its chunk's.</summary>
        public int Locate(World world, Entity request)
        {
            Chunk chunk = world.Locate(request, out int row);
            if (chunk != _chunk)
            {
                _chunk = chunk;
                Infos = chunk.Column<RequestInfo>();
                Progress = chunk.Column<RequestProgress>();
                Times = chunk.Column<RequestTimes>();
                Tables = chunk.Column<KvPageTable>();
            }
            return row;
        }
    }
}
