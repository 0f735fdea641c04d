using System;
using System.IO;
using System.Threading.Tasks;
using NUnit.Framework;
using Sim.Core.Scenes;
using Sim.Headless.Viewer;

namespace Sim.Headless.Tests.Viewer
{
    /// <summary>A viewer server on a free port over a small two-replica scene that queues and preempts.</summary>
    internal sealed class ViewerFixture : IAsyncDisposable
    {
        const string Scene = "name: viewed\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 3000 }\n" +
            "workload:\n  synthetic: { requests: 60, arrival: poisson, rate_per_s: 40, prompt_tokens: { dist: uniform, min: 100, max: 800 }, output_tokens: { dist: uniform, min: 20, max: 120 } }\n";

        readonly string _dir;

        ViewerFixture(string dir, ViewerSession session, ViewerServer server)
        {
            _dir = dir;
            Session = session;
            Server = server;
        }

        public ViewerSession Session { get; }

        public ViewerServer Server { get; }

        public static async Task<ViewerFixture> StartAsync()
        {
            string dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "viewer-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "scene.yaml");
            File.WriteAllText(path, Scene);
            var session = new ViewerSession(SceneLoader.Load(path, Array.Empty<string>()));
            return new ViewerFixture(dir, session, await ViewerServer.StartAsync(session, 0));
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(_dir, true);
        }
    }
}
