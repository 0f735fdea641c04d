using Spectre.Console.Cli;

namespace Sim.Headless.Commands
{
    // Placeholder until the command lands; replaced by its real implementation.
    public sealed class TraceStatsCommand : Command<TraceStatsCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
        }

        protected override int Execute(CommandContext context, Settings settings, System.Threading.CancellationToken cancellationToken) => 1;
    }
}
