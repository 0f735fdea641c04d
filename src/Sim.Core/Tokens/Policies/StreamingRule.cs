namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// StreamingLLM (Xiao et al., ICLR 2024, arXiv 2309.17453): the first <c>sinks</c> positions (attention sinks) are
    /// never evicted; of the rest the oldest leaves first, so the sinks plus the most recent tokens stay.
    /// </summary>
    public sealed class StreamingRule : TokenRule
    {
        public override string Name => "streaming";

        public override int ProtectedFirst(in TokenKeyArguments arguments) => arguments.Sinks;
    }
}
