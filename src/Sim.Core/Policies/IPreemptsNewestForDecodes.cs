namespace Sim.Core.Policies
{
    /// <summary>
    /// A scheduler that puts its running decodes first (<see cref="IAdmitsAfterDecodes"/>) and, when a decode finds no free KV
    /// page, preempts the newest running request (<see cref="Preemption.PreemptNewest"/>) until the page is free or that decode
    /// was itself the newest, schedules no running request after it, and admits none in a batch that preempted (vLLM's
    /// scheduler). The fast-forward then preempts as the scheduler would, the running requests' values kept in its lane, instead
    /// of the scheduler walking its running requests again.
    /// </summary>
    public interface IPreemptsNewestForDecodes
    {
    }
}
