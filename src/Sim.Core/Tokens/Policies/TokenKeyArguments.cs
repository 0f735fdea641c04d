namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// What a token's ranking key and protection read beyond its own columns: the sequence's length and the policy's
    /// protection parameters (the push constants of shaders/token_score.comp, after the count and the policy id).
    /// </summary>
    public readonly struct TokenKeyArguments
    {
        public TokenKeyArguments(int positions, int sinks, int recentTokens, int observationWindow)
        {
            Positions = positions;
            Sinks = sinks;
            RecentTokens = recentTokens;
            ObservationWindow = observationWindow;
        }

        /// <summary>The sequence's positions so far.</summary>
        public int Positions { get; }

        public int Sinks { get; }

        public int RecentTokens { get; }

        public int ObservationWindow { get; }

        public static TokenKeyArguments Of(KvCompression compression, int positions) =>
            new TokenKeyArguments(positions, compression.Sinks, compression.RecentTokens, compression.ObservationWindow);
    }
}
