using System.Globalization;

namespace Sim.Core.Compute
{
    /// <summary>The kind of the best Vulkan device a machine offers, as far as <c>--backend auto</c> is concerned.</summary>
    public enum AutoDevice
    {
        None,

        /// <summary>A CPU driver (lavapipe) or an integrated GPU: the host's own cores and memory.</summary>
        HostShared,

        Discrete,
    }

    /// <summary>What <c>--backend auto</c> chose for a run, and the one line that says why.</summary>
    public readonly struct AutoChoice
    {
        public AutoChoice(bool onDevice, string line)
        {
            OnDevice = onDevice;
            Line = line;
        }

        /// <summary>Whether the run opens the device (its kernels past their crossovers run there).</summary>
        public bool OnDevice { get; }

        public string Line { get; }
    }

    /// <summary>
    /// <c>--backend auto</c>'s decision, once a run, from the scene's sizes (<see cref="RunSizes"/>) against crossovers
    /// measured on each kind of device. A run opens the device only when one of its kernel families is at or past the
    /// crossover measured for that family on that kind of device; otherwise it stays on the CPU and the device is not
    /// opened. Either gives the same outputs (every kernel gives the CPU's bits), so only the wall time is at stake.
    /// </summary>
    public static class AutoBackendRule
    {
        /// <summary>
        /// The largest token-mode step measured on a CPU driver, where the CPU still won: bench <c>scale</c> (tokens) on
        /// lavapipe took 48–184 ms a step against the CPU's 21–61 ms at 1,024,000 resident tokens, and 3.3 ms against
        /// 0.45 ms at 16,384 (docs/VULKAN.md, "At scale"). A driver that shares the CPU's cores is not expected to win
        /// past it either: such devices never get a run.
        /// </summary>
        public const double HostSharedMeasuredResidentTokens = 1_024_000;

        /// <summary>The largest gate call measured on lavapipe (bench <c>kernels</c>: 119 ms against the CPU's 66 ms at 1e6 logits).</summary>
        public const double HostSharedMeasuredGateLogits = 1_000_000;

        /// <summary>A gate call's logits from which an H200 beat one CPU core (bench <c>kernels</c>, <see cref="KernelCrossover.DiscreteGpu"/>).</summary>
        public static double DiscreteGateLogits => KernelCrossover.DiscreteGpu.GateLogits;

        /// <param name="device">The best device found.</param>
        /// <param name="deviceName">How the line names it (e.g. "llvmpipe (CPU driver)").</param>
        public static AutoChoice Decide(RunSizes sizes, AutoDevice device, string deviceName)
        {
            string what = Describe(sizes);
            switch (device)
            {
                case AutoDevice.None:
                    return new AutoChoice(false, "backend auto: cpu (" + what + "; no Vulkan device)");
                case AutoDevice.HostShared:
                    return new AutoChoice(false, "backend auto: cpu (" + what + "; " + deviceName + " shares the CPU's cores and lost to it at every size measured: up to "
                        + Number(HostSharedMeasuredResidentTokens) + " resident tokens by bench scale, " + Number(HostSharedMeasuredGateLogits) + " gate logits by bench kernels)");
                default:
                    if (sizes.GateLogitsPerCall >= DiscreteGateLogits)
                        return new AutoChoice(true, "backend auto: vulkan on " + deviceName + " (" + Number(sizes.GateLogitsPerCall) + " gate logits a call >= crossover "
                            + Number(DiscreteGateLogits) + " measured on an H200 by bench kernels; calls below their crossovers stay on the CPU)");
                    // Token mode's resident attention has no crossover measured on a discrete GPU yet (tools/gpu-check's
                    // scale --sweep measures it), and its per-call kernel lost to the CPU at every size on an H200.
                    return new AutoChoice(false, "backend auto: cpu (" + what + " on " + deviceName + ": gate calls below the crossover of "
                        + Number(DiscreteGateLogits) + " logits measured on an H200 by bench kernels; token-mode attention has no crossover measured on a discrete GPU yet)");
            }
        }

        static string Describe(RunSizes sizes)
        {
            if (sizes.ResidentTokens > 0 && sizes.GateLogitsPerCall > 0)
                return Number(sizes.ResidentTokens) + " resident tokens a step, " + Number(sizes.GateLogitsPerCall) + " gate logits a call";
            if (sizes.GateLogitsPerCall > 0) return Number(sizes.GateLogitsPerCall) + " gate logits a call";
            return Number(sizes.ResidentTokens) + " resident tokens a step";
        }

        /// <summary>Two significant digits in exponent form: 160000 as 1.6e5.</summary>
        public static string Number(double value) => value.ToString("0.0e0", CultureInfo.InvariantCulture);
    }
}
