namespace Sim.Core.Metrics
{
    /// <summary>
    /// A <see cref="LogHistogram"/> bucket and the least and greatest values found in it when it was looked up: a later value
    /// between them lies in it (the bucket is monotone in the value), so a caller whose values mostly repeat a bucket, as a
    /// replica's successive token gaps do, keeps one and skips the look-up. The default holds only 0, whose bucket is 0.
    /// </summary>
    internal struct LogBucketHint
    {
        public int Bucket;
        public double Least;
        public double Most;

        public bool Holds(double value) => Least <= value && value <= Most;
    }
}
