namespace Sim.Core.Tokens
{
    /// <summary>Token-level KV eviction under a per-sequence budget (<c>kv.compression</c>).</summary>
    public sealed class KvCompression
    {
        public static readonly string[] Names = { "full", "window", "streaming", "h2o", "snapkv", "lazy", "cake", "mikv" };

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

        public static string NameOf(CompressionPolicy policy) => policy switch
        {
            CompressionPolicy.Window => "window",
            CompressionPolicy.Streaming => "streaming",
            CompressionPolicy.H2o => "h2o",
            CompressionPolicy.Lazy => "lazy",
            CompressionPolicy.Cake => "cake",
            CompressionPolicy.Mikv => "mikv",
            CompressionPolicy.SnapKv => "snapkv",
            _ => "full",
        };

        public static CompressionPolicy Parse(string name) => name switch
        {
            "window" => CompressionPolicy.Window,
            "streaming" => CompressionPolicy.Streaming,
            "h2o" => CompressionPolicy.H2o,
            "snapkv" => CompressionPolicy.SnapKv,
            "lazy" => CompressionPolicy.Lazy,
            "cake" => CompressionPolicy.Cake,
            "mikv" => CompressionPolicy.Mikv,
            _ => CompressionPolicy.Full,
        };

        /// <summary>Resident tokens allowed for a sequence of <paramref name="positions"/> tokens.</summary>
        public int BudgetFor(int positions) => BudgetTokens > 0 ? BudgetTokens : System.Math.Max(1, (int)(BudgetFraction * positions));
    }

    public enum CompressionPolicy
    {
        /// <summary>Keep every token.</summary>
        Full,

        /// <summary>Sliding window: keep the last budget tokens.</summary>
        Window,

        /// <summary>StreamingLLM: the sinks plus the most recent tokens.</summary>
        Streaming,

        /// <summary>Heavy-Hitter Oracle: the most recent tokens plus those with the highest accumulated attention.</summary>
        H2o,

        /// <summary>
        /// LazyEviction: keeps tokens whose attention recurs, evicting the one most overdue against its own recurrence
        /// interval (never-recurring ones first), and only once a sequence is <see cref="KvCompression.LazySlack"/> over its
        /// budget, then down to the budget: fewer, larger evictions.
        /// </summary>
        Lazy,

        /// <summary>
        /// CAKE: the sequence's budget times the layer groups, shared among groups in proportion to each one's attention
        /// dispersion (wide-attending groups get more); within a group, the most recent plus the highest scores.
        /// </summary>
        Cake,

        /// <summary>
        /// MiKV: tokens that <c>h2o</c> would evict are kept at <see cref="KvCompression.LowBits"/> instead, packed into
        /// pages of their own; the budget counts a low-precision token as LowBits / 16 of one. Only when every
        /// unprotected token is already low-precision are the lowest-scored dropped.
        /// </summary>
        Mikv,

        /// <summary>SnapKV: once a prefill ends, keep the prompt tokens its last positions attend to most (and that window); decode tokens are all kept.</summary>
        SnapKv,
    }
}
