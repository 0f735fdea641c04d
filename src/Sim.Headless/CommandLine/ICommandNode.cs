namespace Sim.Headless.CommandLine
{
    /// <summary>What a command list shows: a command (<see cref="CommandDefinition"/>) or a group of them (<see cref="CommandGroup"/>).</summary>
    internal interface ICommandNode
    {
        string Name { get; }

        string Description { get; }

        /// <summary>The name and its arguments, e.g. <c>run &lt;SCENE&gt;</c>.</summary>
        string Synopsis { get; }
    }
}
