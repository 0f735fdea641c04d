namespace Sim.Core.Policies
{
    /// <summary>How many tokens a scheduler reserves KV pages for when it admits a request; the invariant check expects it.</summary>
    public enum KvReservation
    {
        /// <summary>The tokens computed so far (and those computed in the iteration under way).</summary>
        Computed,

        /// <summary>The whole prompt (with any tokens generated before a preemption) at admission, then as decodes compute.</summary>
        WholePrompt,

        /// <summary>The whole request, prompt plus output, at admission.</summary>
        WholeRequest,
    }
}
