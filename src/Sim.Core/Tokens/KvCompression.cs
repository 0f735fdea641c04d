namespace Sim.Core.Tokens
{
    /// <summary>Token-level KV eviction under a per-sequence budget (<c>kv.compression</c>).</summary>
    public sealed class KvCompression
    {
        public CompressionPolicy Policy { get; set; } = CompressionPolicy.Full;

        /// <summary>Resident tokens a sequence may keep; 0 when the budget is a fraction.</summary>
        public int BudgetTokens { get; set; }

        /// <summary>Share of a sequence's tokens it may keep, when <see cref="BudgetTokens"/> is 0.</summary>
        public double BudgetFraction { get; set; } = 1;

        /// <summary>First positions never evicted (<c>streaming</c>).</summary>
        public int Sinks { get; set; } = 4;

        /// <summary>Most recent positions never evicted (<c>h2o</c>, <c>lazy</c>); the rest of the budget goes to the highest scores.</summary>
        public int RecentTokens { get; set; } = 64;

        /// <summary>
        /// Last prompt positions whose queries score the prompt at the end of a prefill, kept whatever their score
        /// (<c>snapkv</c>, <c>cake</c>; <c>lazy</c>'s first recurrence). 32: SnapKV's and CAKE's released defaults.
        /// </summary>
        public int ObservationWindow { get; set; } = 32;

        /// <summary>Width of the average pool over the window's votes (<c>snapkv</c>, <c>cake</c>): 5 in both released codes.</summary>
        public int PoolKernel { get; set; } = 5;

        /// <summary>CAKE's temperatures: a layer group's preference is entropy^(1/τ1) · variance^(1/τ2); 1 and 1 are its script's defaults.</summary>
        public double CakeTau1 { get; set; } = 1;

        public double CakeTau2 { get; set; } = 1;

        /// <summary>Whether <c>cake</c> splits the budget across layer groups by preference (CAKE) or evenly (the uniform split it is compared with).</summary>
        public bool CakeUniformSplit { get; set; }

        /// <summary>CAKE's eviction indicator: mean + γ · variance of a token's attention over the window (200 in its code).</summary>
        public double CakeGamma { get; set; } = 200;

        /// <summary>Bits per element of <c>mikv</c>'s low-precision tokens (of 16).</summary>
        public int LowBits { get; set; } = 4;

        /// <summary>Tokens over the budget a <c>lazy</c> sequence may hold before it evicts: LazyEviction's observation window of lagged steps.</summary>
        public int LazySlack { get; set; } = 32;

        /// <summary>Resident tokens allowed for a sequence of <paramref name="positions"/> tokens.</summary>
        public int BudgetFor(int positions) => BudgetTokens > 0 ? BudgetTokens : System.Math.Max(1, (int)(BudgetFraction * positions));
    }

    /// <summary>
    /// A token-compression policy's id (<c>kv.compression.policy</c>): its row in
    /// <see cref="Policies.CompressionPolicies"/>, which is also the policy number shaders/token_score.comp switches on.
    /// Each policy's rule is its own file under Tokens/Policies.
    /// </summary>
    public enum CompressionPolicy
    {
        Full,
        Window,
        Streaming,
        H2o,
        SnapKv,
        Lazy,
        Cake,
        Mikv,
    }
}
