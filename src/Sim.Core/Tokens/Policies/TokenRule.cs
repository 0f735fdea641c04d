namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// One token-compression policy (<c>kv.compression.policy</c>): which tokens of a copy it never evicts, the ranking
    /// key of the rest (the lowest leaves first, ties to the older position), and what it scores them from. Each policy
    /// is one file under Tokens/Policies and one row of <see cref="CompressionPolicies"/>, whose id is the policy number
    /// shaders/token_score.comp switches on. The defaults are a policy that scores nothing, protects nothing and ranks by
    /// position.
    /// </summary>
    public abstract class TokenRule
    {
        /// <summary>The scene's <c>kv.compression.policy</c> value.</summary>
        public abstract string Name { get; }

        /// <summary>False for a policy that keeps every token (nothing is ever a candidate).</summary>
        public virtual bool Evicts => true;

        /// <summary>First positions never evicted.</summary>
        public virtual int ProtectedFirst(in TokenKeyArguments arguments) => 0;

        /// <summary>Most recent positions never evicted.</summary>
        public virtual int ProtectedLast(in TokenKeyArguments arguments) => 0;

        /// <summary>
        /// The ranking key of an unprotected token from its columns (<see cref="SequenceTokens"/>): its position, the
        /// policy's score, the last step it was important and its maximum recurrence interval; the lowest is evicted first.
        /// </summary>
        public virtual float Key(int position, float score, int lastImportantStep, int maxRecurrenceInterval, in TokenKeyArguments arguments) => position;

        /// <summary>Whether every prompt query scores the tokens (as it is computed, before anything can be evicted).</summary>
        public virtual bool ScoresPromptQueries => false;

        /// <summary>What the last prompt positions' queries (the observation window) do at the end of the prefill.</summary>
        public virtual WindowUse Window => WindowUse.None;

        /// <summary>
        /// A prompt token's weight from the window's attention on it: the sum over the window's queries, its mean and
        /// unbiased variance (<see cref="WindowUse.Vote"/>; average-pooled into the score after).
        /// </summary>
        public virtual double WindowWeight(double sum, double mean, double variance, KvCompression compression) => sum;

        /// <summary>What each decode query credits the resident tokens it attends to.</summary>
        public virtual TokenCredit DecodeCredit => TokenCredit.None;

        /// <summary>Whether it compresses the prompt once, at the end of the prefill, and keeps every decode token.</summary>
        public virtual bool CompressesOnce => false;

        /// <summary>Whether the copies' budgets are split across layer groups by preference at the end of the prefill (CAKE's cascade).</summary>
        public virtual bool SplitsAcrossLayers => false;

        /// <summary>Whether tokens over the budget are first kept at low precision (<c>low_bits</c>) rather than dropped.</summary>
        public virtual bool Demotes => false;

        /// <summary>Tokens a copy may hold over its budget before it evicts back down to the budget.</summary>
        public virtual int Slack(KvCompression compression) => 0;
    }

    /// <summary>What a policy does with the observation window's queries at the end of the prefill.</summary>
    public enum WindowUse
    {
        None,

        /// <summary>Each query credits the tokens as a decode query does (<see cref="TokenRule.DecodeCredit"/>).</summary>
        Credit,

        /// <summary>The queries vote on the positions before the window (<see cref="TokenRule.WindowWeight"/>), pooled into the score.</summary>
        Vote,
    }

    /// <summary>What a decode query adds to the resident tokens it attends to.</summary>
    public enum TokenCredit
    {
        None,

        /// <summary>Its share of the kept cache's attention, added to the score.</summary>
        Accumulate,

        /// <summary>Whether its share is above an even one, which updates the last important step and the maximum recurrence interval.</summary>
        Recurrence,

        /// <summary>Its share average-pooled over neighbouring cache entries, replacing the score.</summary>
        PooledCurrent,
    }
}
