namespace Sim.Core.Pipeline
{
    /// <summary>The phases of one step, in the order they run.</summary>
    public enum Phase
    {
        /// <summary>Requests whose arrival time has come become entities (or are rejected).</summary>
        Arrive,

        /// <summary>New requests are sent to a replica's waiting queue.</summary>
        Route,

        /// <summary>Idle replicas with work choose their next batch.</summary>
        Schedule,

        /// <summary>The perf model times each new batch; the clock moves to the next event.</summary>
        Execute,

        /// <summary>Batches ending now emit tokens, finish requests and free their pages.</summary>
        Complete,

        /// <summary>Finished iterations go to metrics; invariants are checked when asked.</summary>
        Record,
    }
}
