using System;
using Sim.Core.Compute;

namespace Sim.Bench
{
    /// <summary>
    /// One scene of <c>scale</c>: a step loop of one kernel family over resident columns at a size where the work is
    /// large. Its inputs are hashes of (seed, step, element), so every backend sees the same run; what each step hands
    /// the scheduler (and the final columns) is folded into a checksum that must be the same on every backend.
    /// </summary>
    abstract class ScaleScene
    {
        public abstract string Name { get; }

        /// <summary>What the run holds, in words (printed).</summary>
        public abstract string Size { get; }

        /// <summary>The scene's size as its heaviest kernel's crossover counts it (positions, logits or keys a step).</summary>
        public abstract long CrossoverElements { get; }

        /// <summary>The heaviest kernel's crossover, from those measured for the device.</summary>
        public abstract int CrossoverOf(KernelCrossover crossover);

        /// <summary>The heaviest kernel's name (printed with auto's reason).</summary>
        public abstract string Kernel { get; }

        /// <summary>
        /// Runs <paramref name="steps"/> steps on <paramref name="kernels"/>. The first step's time holds the upload of every
        /// column; later ones only what changed. Times count the backend's calls, not the drawing of inputs.
        /// </summary>
        public abstract ScaleResult Run(IResidentKernels kernels, int steps);

        /// <summary>A float in [-1, 1) from a hash of its coordinates.</summary>
        protected static float Draw(ulong a, ulong b, ulong c) => (float)((Hash(a, b, c) >> 40) * (1.0 / (1 << 23)) - 1);

        protected static ulong Hash(ulong a, ulong b, ulong c) => Mix(Mix(Mix(a) ^ b) ^ c);

        // SplitMix64's finaliser.
        static ulong Mix(ulong x)
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }

    /// <summary>FNV-1a over the values a run hands back.</summary>
    sealed class Checksum
    {
        public ulong Value { get; private set; } = 14695981039346656037UL;

        public void Add(int value)
        {
            for (int b = 0; b < 4; b++)
            {
                Value ^= (byte)(value >> (8 * b));
                Value *= 1099511628211UL;
            }
        }

        public void Add(ReadOnlySpan<int> values)
        {
            foreach (int value in values) Add(value);
        }

        public void Add(ReadOnlySpan<float> values)
        {
            foreach (float value in values) Add(BitConverter.SingleToInt32Bits(value));
        }
    }

    /// <summary>The first step's time and the mean of the later ones.</summary>
    sealed class StepTimes
    {
        double _firstMs, _laterMs;
        int _steps;

        public void Add(System.Diagnostics.Stopwatch step)
        {
            if (_steps++ == 0) _firstMs = step.Elapsed.TotalMilliseconds;
            else _laterMs += step.Elapsed.TotalMilliseconds;
        }

        public ScaleResult Result(Checksum checksum) => new ScaleResult(_firstMs, _steps > 1 ? _laterMs / (_steps - 1) : double.NaN, checksum.Value);
    }

    readonly struct ScaleResult
    {
        public ScaleResult(double firstStepMs, double stepMs, ulong checksum)
        {
            FirstStepMs = firstStepMs;
            StepMs = stepMs;
            Checksum = checksum;
        }

        public double FirstStepMs { get; }

        /// <summary>Mean of the steps after the first.</summary>
        public double StepMs { get; }

        public ulong Checksum { get; }
    }
}
