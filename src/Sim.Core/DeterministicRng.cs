using System;
using Sim.Core.Snapshots;

namespace Sim.Core
{
    /// <summary>
    /// xoshiro256** seeded through splitmix64: the same numbers on every runtime (System.Random's sequence is
    /// not specified across runtimes, and Unity's differs). One instance per concern, from <see cref="ForStream"/>.
    /// </summary>
    public sealed class DeterministicRng : ISnapshotState
    {
        ulong _s0, _s1, _s2, _s3;

        void ISnapshotState.Save(SnapshotWriter writer)
        {
            writer.Write(_s0);
            writer.Write(_s1);
            writer.Write(_s2);
            writer.Write(_s3);
        }

        void ISnapshotState.Load(SnapshotReader reader)
        {
            _s0 = reader.Read<ulong>();
            _s1 = reader.Read<ulong>();
            _s2 = reader.Read<ulong>();
            _s3 = reader.Read<ulong>();
        }

        public DeterministicRng(ulong seed)
        {
            ulong x = seed;
            _s0 = SplitMix64(ref x);
            _s1 = SplitMix64(ref x);
            _s2 = SplitMix64(ref x);
            _s3 = SplitMix64(ref x);
        }

        /// <summary>An independent stream for one concern (e.g. "arrivals"), derived from the scene seed and the name.</summary>
        public static DeterministicRng ForStream(ulong seed, string streamName)
        {
            // FNV-1a over the UTF-16 code units: stable, unlike string.GetHashCode.
            ulong hash = 14695981039346656037UL;
            foreach (char c in streamName)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
            return new DeterministicRng(seed ^ hash);
        }

        public ulong NextUInt64()
        {
            ulong result = RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }

        /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
        public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Uniform in [0, maxExclusive), without modulo bias (rejection of the short last range).</summary>
        public int NextInt(int maxExclusive)
        {
            if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
            ulong range = (ulong)maxExclusive;
            ulong limit = ulong.MaxValue - ulong.MaxValue % range;
            ulong value;
            do value = NextUInt64(); while (value >= limit);
            return (int)(value % range);
        }

        /// <summary>Exponential with the given rate (mean 1/rate), by inversion; 1 - U keeps the log argument in (0, 1].</summary>
        public double NextExponential(double rate)
        {
            if (!(rate > 0) || double.IsInfinity(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "must be finite and above 0");
            return -Math.Log(1 - NextDouble()) / rate;
        }

        /// <summary>Standard normal by Box–Muller (one of the pair; no cached state, so streams stay simple to snapshot).</summary>
        public double NextNormal()
        {
            double u1 = 1 - NextDouble();
            double u2 = NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        /// <summary>Gamma(shape, scale) by Marsaglia and Tsang (2000); shape &lt; 1 through the boost Gamma(shape+1)·U^(1/shape).</summary>
        public double NextGamma(double shape, double scale)
        {
            if (!(shape > 0) || double.IsInfinity(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "must be finite and above 0");
            if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "must be finite and above 0");
            if (shape < 1)
                return NextGamma(shape + 1, scale) * Math.Pow(1 - NextDouble(), 1 / shape);
            double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
            while (true)
            {
                double x, v;
                do
                {
                    x = NextNormal();
                    v = 1 + c * x;
                }
                while (v <= 0);
                v = v * v * v;
                double u = 1 - NextDouble();
                if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v * scale;
            }
        }

        static ulong SplitMix64(ref ulong x)
        {
            x += 0x9E3779B97F4A7C15UL;
            return Mix(x - 0x9E3779B97F4A7C15UL);
        }

        /// <summary>
        /// One splitmix64 step of <paramref name="x"/> (add the golden ratio, then the finalizer): a stateless hash for
        /// procedural draws keyed by coordinates (request, position, layer, ...), the same on every runtime.
        /// </summary>
        public static ulong Mix(ulong x)
        {
            ulong z = x + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
    }
}
