namespace Sim.Headless.CommandLine
{
    /// <summary>A command: given its parsed settings, does its work and returns the exit code.</summary>
    public abstract class Command<TSettings> where TSettings : CommandSettings
    {
        public abstract int Execute(TSettings settings);
    }
}
