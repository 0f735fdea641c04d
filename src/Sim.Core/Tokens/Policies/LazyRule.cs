namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// LazyEviction (Zhang et al., 2025, arXiv 2506.15969): a token is important at a step when its share of the kept
    /// cache's attention exceeds an even one; its maximum recurrence interval (MRI) is the longest gap between such steps.
    /// The last <c>recent_tokens</c> are kept; the rest rank by MRI minus the steps since the token was last important
    /// (most overdue first), never-important tokens below all. A copy evicts only once <c>lazy_slack</c> over its budget,
    /// then back down to it. The exact score was not retrieved: this priority is our reading of "MRI-centric" eviction.
    /// </summary>
    public sealed class LazyRule : TokenRule
    {
        public override string Name => "lazy";

        public override int ProtectedLast(in TokenKeyArguments arguments) => arguments.RecentTokens;

        /// <summary>How long the token may still go unattended before it is overdue against its MRI; the lowest float when never important (ties leave the oldest first).</summary>
        public override float Key(int position, float score, int lastImportantStep, int maxRecurrenceInterval, in TokenKeyArguments arguments) =>
            lastImportantStep < 0 ? float.MinValue : maxRecurrenceInterval - (arguments.Positions - 1 - lastImportantStep);

        public override WindowUse Window => WindowUse.Credit;

        public override TokenCredit DecodeCredit => TokenCredit.Recurrence;

        public override int Slack(KvCompression compression) => compression.LazySlack;
    }
}
