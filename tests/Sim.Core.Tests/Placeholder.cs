namespace Sim.Core.Tests
{
    internal static class Placeholder
    {
    }
}
