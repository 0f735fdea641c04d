using System.Threading.Tasks;
using Orleans;

namespace Sim.Headless.Cluster
{
    /// <summary>The client's traces, served to workers in chunks by content hash.</summary>
    public interface ITraceSource : IGrainObserver
    {
        [ResponseTimeout("00:01:00")]
        Task<byte[]> Chunk(string sha256, long offset, int length);
    }
}
