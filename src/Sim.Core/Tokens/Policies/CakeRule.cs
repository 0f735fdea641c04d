namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// CAKE (Qin et al., ICLR 2025, arXiv 2503.12491): the window's queries score each prompt position by the eviction
    /// indicator mean + <c>cake_gamma</c> · variance of its attention, average-pooled; in decode each step's attention,
    /// pooled over neighbouring cache entries, replaces it. The window is kept. At the end of the prefill the copies'
    /// budgets are split across layer groups by their preference (<see cref="CakeAllocation"/>, the cascade in
    /// <see cref="TokenEviction"/>), or evenly with <c>cake_split: uniform</c>.
    /// </summary>
    public sealed class CakeRule : TokenRule
    {
        public override string Name => "cake";

        public override int ProtectedLast(in TokenKeyArguments arguments) => arguments.ObservationWindow;

        public override float Key(int position, float score, int lastImportantStep, int maxRecurrenceInterval, in TokenKeyArguments arguments) => score;

        public override WindowUse Window => WindowUse.Vote;

        public override double WindowWeight(double sum, double mean, double variance, KvCompression compression) => mean + compression.CakeGamma * variance;

        public override TokenCredit DecodeCredit => TokenCredit.PooledCurrent;

        public override bool SplitsAcrossLayers => true;
    }
}
