namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// Heavy-Hitter Oracle (Zhang et al., NeurIPS 2023, arXiv 2306.14048): the last <c>recent_tokens</c> positions are
    /// kept; the rest rank by the attention they accumulated over every query, the prompt's included.
    /// </summary>
    public sealed class H2oRule : TokenRule
    {
        public override string Name => "h2o";

        public override int ProtectedLast(in TokenKeyArguments arguments) => arguments.RecentTokens;

        public override float Key(int position, float score, int lastImportantStep, int maxRecurrenceInterval, in TokenKeyArguments arguments) => score;

        public override bool ScoresPromptQueries => true;

        public override TokenCredit DecodeCredit => TokenCredit.Accumulate;
    }
}
