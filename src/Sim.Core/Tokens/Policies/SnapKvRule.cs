namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// SnapKV (Li et al., 2024, arXiv 2404.14469): once the prefill ends, the last <c>observation_window</c> prompt
    /// queries' attention is summed per prompt position and average-pooled (<c>pool_kernel</c>); the window is kept, the
    /// rest of the prompt ranks by that vote, and every decode token is kept.
    /// </summary>
    public sealed class SnapKvRule : TokenRule
    {
        public override string Name => "snapkv";

        public override int ProtectedLast(in TokenKeyArguments arguments) => arguments.ObservationWindow;

        public override float Key(int position, float score, int lastImportantStep, int maxRecurrenceInterval, in TokenKeyArguments arguments) => score;

        public override WindowUse Window => WindowUse.Vote;

        public override bool CompressesOnce => true;
    }
}
