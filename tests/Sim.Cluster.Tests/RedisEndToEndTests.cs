using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using NUnit.Framework;

namespace Sim.Cluster.Tests
{
    /// <summary>
    /// Real processes: a redis-server on a free loopback port, two <c>sim worker --redis</c> and a
    /// <c>sim sweep --cluster</c> client, whose outputs must be the local sweep's.
    /// </summary>
    [NonParallelizable]
    public class RedisEndToEndTests
    {
        static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

        readonly List<Process> _processes = new List<Process>();
        string _dir = "";

        [SetUp]
        public void MakeFolder()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "redis-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void StopEverything()
        {
            foreach (Process process in _processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
                process.Dispose();
            }
            Directory.Delete(_dir, true);
        }

        [Test]
        public void TwoWorkerProcessesClusteredThroughRedisWriteTheLocalSweep()
        {
            string? redisServer = OnPath("redis-server");
            if (redisServer == null) Assert.Ignore("redis-server is not installed (.ci/run installs it)");
            var fixture = new SweepFixture(Path.Combine(_dir, "sweep"), 150, "  scheduler.policy: [vllm, sarathi]\n  cluster.replicas: [1, 2]\n  workload.time_scale: [0.5, 1]\n");
            Dictionary<string, byte[]> local = fixture.Outputs(fixture.RunLocally(), "local");

            int redisPort = FreePort();
            var redis = Start(redisServer, "--port", redisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir);
            WaitFor(() => Listening(redisPort), redis, "redis-server listening");
            string conn = "127.0.0.1:" + redisPort;
            var workers = Enumerable.Range(0, 2).Select(k => Start("dotnet", Sim(), "worker", "--redis", conn, "--advertise", "127.0.0.1",
                "--port", FreePort().ToString(), "--gateway-port", FreePort().ToString(), "--slots", "1", "--cache", Path.Combine(_dir, "worker" + k))).ToList();
            foreach (var worker in workers) WaitFor(() => worker.Error.ToString().Contains("worker: 1 slots"), worker, "worker ready");

            string outDir = Path.Combine(_dir, "out");
            var client = Start("dotnet", Sim(), "sweep", fixture.SweepPath, "--cluster", conn, "--out", outDir);
            Assert.That(client.Process.WaitForExit((int)StartTimeout.TotalMilliseconds), Is.True, "the client did not finish: " + client.Error);
            client.Process.WaitForExit();

            Assert.That(client.Process.ExitCode, Is.EqualTo(0), client.Error.ToString());
            string log = client.Error.ToString();
            Assert.That(log.Split('\n').Count(l => l.Contains("joined with 1 slots")), Is.EqualTo(2), log);
            Assert.That(log, Does.Contain("8 of 8 points done"));
            var outputs = local.Keys.ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(outDir, name)));
            Assert.That(outputs, Is.EqualTo(local));
            Assert.That(Directory.GetFiles(Path.Combine(outDir, "points"), "*.point"), Has.Length.EqualTo(8));
        }

        sealed class Started
        {
            public Started(Process process) { Process = process; }

            public Process Process { get; }

            public StringBuilder Error { get; } = new StringBuilder();
        }

        Started Start(string file, params string[] args)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // Start-up is mostly compiling Orleans; tiered compilation halves it for these short-lived processes (docs/CLUSTER.md); results do not depend on it.
            info.Environment["DOTNET_TieredCompilation"] = "1";
            foreach (string arg in args) info.ArgumentList.Add(arg);
            var process = new Process { StartInfo = info };
            var started = new Started(process);
            process.ErrorDataReceived += (_, e) => { lock (started.Error) started.Error.Append(e.Data).Append('\n'); };
            process.OutputDataReceived += (_, e) => { };
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            _processes.Add(process);
            return started;
        }

        static void WaitFor(Func<bool> condition, Started process, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (process.Process.HasExited) Assert.Fail(what + ": the process exited: " + process.Error);
                if (clock.Elapsed > StartTimeout) Assert.Fail(what + ": not within " + StartTimeout.TotalSeconds + " s: " + process.Error);
                Thread.Sleep(100);
            }
        }

        static string Sim() => Path.Combine(TestContext.CurrentContext.TestDirectory, "sim.dll");

        static string? OnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

        static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        static bool Listening(int port)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
