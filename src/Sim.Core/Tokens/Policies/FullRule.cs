namespace Sim.Core.Tokens.Policies
{
    /// <summary>The full cache: every token is kept (the reference the others are measured against).</summary>
    public sealed class FullRule : TokenRule
    {
        public override string Name => "full";

        public override bool Evicts => false;
    }
}
