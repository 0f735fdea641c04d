using BenchmarkDotNet.Attributes;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;

namespace Sim.Bench
{
    /// <summary>
    /// A request's life in its replica's KV pool, as the synthetic benchmark's requests live it: a 680-page pool (a Llama-2-70B
    /// replica on two A100s) of 16-token pages holding eight requests at once; each operation releases the oldest one's pages
    /// and admits a new request of <see cref="PromptTokens"/> tokens in its place (pages taken from the empty queue's front),
    /// so the queue's order churns as in a long run.
    /// </summary>
    [MemoryDiagnoser]
    public class KvPoolBenchmarks
    {
        const int Requests = 8;

        KvBlockPool _pool = null!;
        readonly KvPageTable[] _tables = new KvPageTable[Requests];
        int _oldest;

        /// <summary>Tokens reserved at admission (1000: the synthetic prompts' mean, 63 pages).</summary>
        [Params(1000)]
        public int PromptTokens { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _pool = new KvBlockPool(new World(), 0, pageCount: 680, blockTokens: 16);
            for (int i = 0; i < Requests; i++)
            {
                _tables[i] = KvBlockPool.EmptyTable;
                _pool.TryReserve(ref _tables[i], PromptTokens);
            }
        }

        [Benchmark]
        public bool ReleaseAndAdmit()
        {
            ref KvPageTable table = ref _tables[_oldest];
            _oldest = (_oldest + 1) % Requests;
            _pool.Release(ref table, 0);
            return _pool.TryReserve(ref table, PromptTokens);
        }
    }
}
