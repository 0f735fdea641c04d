namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// MiKV (Yang et al., 2024, arXiv 2402.18096): ranks as <c>h2o</c> (accumulated attention, the last
    /// <c>recent_tokens</c> kept), but a token over the budget is first kept at <c>low_bits</c> in packed pages rather than
    /// dropped; only when nothing is left to demote (or no page is free to pack into) are the lowest low-precision
    /// tokens dropped.
    /// </summary>
    public sealed class MikvRule : TokenRule
    {
        public override string Name => "mikv";

        public override int ProtectedLast(in TokenKeyArguments arguments) => arguments.RecentTokens;

        public override float Key(int position, float score, int lastImportantStep, int maxRecurrenceInterval, in TokenKeyArguments arguments) => score;

        public override bool ScoresPromptQueries => true;

        public override TokenCredit DecodeCredit => TokenCredit.Accumulate;

        public override bool Demotes => true;
    }
}
