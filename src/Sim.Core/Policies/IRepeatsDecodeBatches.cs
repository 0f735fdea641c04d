using Sim.Core.Ecs;
using Sim.Core.Pipeline;

namespace Sim.Core.Policies
{
    /// <summary>
    /// A scheduler's promise that lets the simulation fast-forward quiet decode stretches (<c>fast_forward</c>). A scheduler
    /// that does not implement it (or answers false) is asked for every batch.
    /// </summary>
    public interface IRepeatsDecodeBatches
    {
        /// <summary>
        /// Asked when every request running on <paramref name="replica"/> is decoding (one token from its next output token, or,
        /// while the replica runs a batch of just those decodes, two) and the replica has no prefix cache: true when this batch and the next ones, for as long as no request ends,
        /// none arrives and no KV page is freed, are exactly every running request's decode, in running order, reserving
        /// their next KV pages in that order, and admit no waiting request. It may be asked while the running requests' token
        /// counts and times lag behind the fast-forward's lane, which holds them: it reads the queues, the waiting requests, the
        /// running requests' arrival order and the free pages, never those.
        /// </summary>
        bool SchedulesEveryDecode(World world, ReplicaRuntime replica);

        /// <summary>
        /// Whether each decode of a batch of more than one request needs a free KV page before it reserves its own (vLLM v0's
        /// <c>can_append_slots</c>): a decode that finds none preempts, so such a batch is repeated only while one is left.
        /// </summary>
        bool EachDecodeNeedsAFreePage => false;
    }
}
