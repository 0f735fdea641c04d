using System;
using System.Linq;

namespace Sim.GpuCheck
{
    /// <summary>
    /// <c>sim ARGS</c> runs the sim command, <c>bench ARGS</c> the benchmarks, <c>tests [NAME-PART]</c> the Vulkan tests
    /// (those whose full name contains NAME-PART), all in one process image so one self-contained publish serves them all.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string[] rest = args.Skip(1).ToArray();
            switch (args.FirstOrDefault())
            {
                case "sim": return Headless.Program.Main(rest);
                case "bench": return Bench.Program.Main(rest);
                case "tests": return VulkanTestRun.Run(rest.FirstOrDefault());
                default:
                    Console.Error.WriteLine("usage: gpucheck sim ARGS | bench ARGS | tests [NAME-PART]");
                    return 2;
            }
        }
    }
}
