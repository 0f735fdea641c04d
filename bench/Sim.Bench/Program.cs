using BenchmarkDotNet.Running;

namespace Sim.Bench
{
    /// <summary>
    /// <c>replay SCENE.yaml [--requests N]</c> and <c>synthetic N</c> run end-to-end replays and print their figures,
    /// <c>tokens [POLICY]</c> times token mode's store, <c>kernels</c> each kernel on both backends, <c>viewer</c> what
    /// watching a run in the viewer costs per step;
    /// anything else goes to BenchmarkDotNet (e.g. <c>--filter '*Ecs*'</c>).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "replay") return ReplayBenchmark.Replay(args);
            if (args.Length > 0 && args[0] == "synthetic") return ReplayBenchmark.Synthetic(args);
            if (args.Length > 0 && args[0] == "tokens") return TokenModeBenchmark.Run(args);
            if (args.Length > 0 && args[0] == "kernels") return KernelBenchmark.Run();
            if (args.Length > 0 && args[0] == "scale") return ScaleBenchmark.Run(args);
            if (args.Length > 0 && args[0] == "viewer") return ViewerBenchmark.Run();
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
