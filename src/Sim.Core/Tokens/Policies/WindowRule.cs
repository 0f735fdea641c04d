namespace Sim.Core.Tokens.Policies
{
    /// <summary>Sliding window: nothing is protected and the oldest position leaves first, keeping the last budget tokens.</summary>
    public sealed class WindowRule : TokenRule
    {
        public override string Name => "window";
    }
}
