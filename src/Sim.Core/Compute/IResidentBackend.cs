namespace Sim.Core.Compute
{
    /// <summary>
    /// A backend whose kernels also come as resident families over columns it keeps (device memory): token mode then
    /// mirrors its key columns there and attends once a step over every sequence (<see cref="Tokens.StepAttention"/>).
    /// The CPU reference does not offer them: its columns already are the host arrays, so the per-call kernels read
    /// them where they are.
    /// </summary>
    public interface IResidentBackend
    {
        /// <summary>The resident families on the backend's device; owned by the backend.</summary>
        IResidentKernels Resident { get; }
    }
}
