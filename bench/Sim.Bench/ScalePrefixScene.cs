using System;
using System.Diagnostics;
using Sim.Core.Compute;
using Sim.Core.Kv;

namespace Sim.Bench
{
    /// <summary>
    /// A prefix cache at scale (LRU): every step some blocks are hit, the lowest-scored blocks are chosen as victims
    /// and take new content. A step writes the changed blocks' usage and reads back the victims and their scores.
    /// </summary>
    sealed class ScalePrefixScene : ScaleScene
    {
        readonly int _blocks, _hitsPerStep, _victimsPerStep;

        public ScalePrefixScene(int blocks, int hitsPerStep, int victimsPerStep)
        {
            _blocks = blocks;
            _hitsPerStep = hitsPerStep;
            _victimsPerStep = victimsPerStep;
        }

        public override string Name => "prefix";

        public override string Size => _blocks.ToString("N0") + " cached blocks, " + _hitsPerStep.ToString("N0") + " hits and " + _victimsPerStep.ToString("N0") + " evictions a step";

        public override long CrossoverElements => _blocks;

        public override int CrossoverOf(KernelCrossover crossover) => crossover.SelectKeys;

        public override string Kernel => "select_lowest";

        public override ScaleResult Run(IResidentKernels kernels, int steps)
        {
            using IResidentBlocks cache = kernels.Blocks(_blocks, EvictionPolicy.Lru);
            var victims = new int[_victimsPerStep];
            var victimScores = new double[_victimsPerStep];
            var hits = new int[_hitsPerStep];
            var checksum = new Checksum();
            var clock = new Stopwatch();
            var times = new StepTimes();
            uint entered = 0; // every write enters the block anew, after all before it
            for (int step = 0; step < steps; step++)
            {
                double nowS = 1000 + step;
                for (int h = 0; h < hits.Length; h++) hits[h] = (int)(Hash(5, (ulong)step, (ulong)h) % (ulong)_blocks);
                clock.Restart();
                if (step == 0)
                    for (int b = 0; b < _blocks; b++)
                        cache.Write(b, new BlockUsage { LastAccessS = Hash(6, 0, (ulong)b) % 1000, CachedAtS = 0, AccessCount = 1, ChainBlocks = 1 }, entered++, 0);
                else
                    foreach (int victim in victims) cache.Write(victim, new BlockUsage { LastAccessS = nowS, CachedAtS = nowS, AccessCount = 1, ChainBlocks = 1 }, entered++, 0);
                foreach (int hit in hits) cache.Write(hit, new BlockUsage { LastAccessS = nowS, CachedAtS = 0, AccessCount = 2, ChainBlocks = 1 }, entered++, 0);
                cache.Step(victims, victimScores);
                clock.Stop();
                times.Add(clock);
                checksum.Add(victims);
                foreach (double score in victimScores)
                {
                    long bits = BitConverter.DoubleToInt64Bits(score);
                    checksum.Add((int)bits);
                    checksum.Add((int)(bits >> 32));
                }
            }
            return times.Result(checksum);
        }
    }
}
