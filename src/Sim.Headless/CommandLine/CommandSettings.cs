namespace Sim.Headless.CommandLine
{
    /// <summary>
    /// The flags and arguments of one command: public properties marked <see cref="CommandOptionAttribute"/> or
    /// <see cref="CommandArgumentAttribute"/>, each with a <see cref="System.ComponentModel.DescriptionAttribute"/> for its help line.
    /// </summary>
    public abstract class CommandSettings
    {
    }
}
