namespace Sim.Headless.Tests
{
    internal static class Placeholder
    {
    }
}
