using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;
using Sim.Headless.Viewer;

namespace Sim.Headless.Tests.Viewer
{
    /// <summary>The viewer refuses bodies of any framing, cannot be framed, says why it refuses, serves port 80 and stops on SIGTERM.</summary>
    public class ViewerHardeningTests
    {
        [Test]
        public async Task AChunkedBodyIsRefusedWith413AndAReason()
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(viewer.Server.Url) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/step?n=1") { Content = new StreamContent(new MemoryStream(new byte[] { 1, 2, 3 })) };
            request.Headers.TransferEncodingChunked = true;
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("the viewer takes no request bodies; its API reads only the query string\n"));
            Assert.That(viewer.Session.Read((host, _) => host.Steps), Is.EqualTo(0), "nothing moved");
        }

        [TestCase("")]
        [TestCase("api/state")]
        [TestCase("api/step?n=0")]
        public async Task EveryAnswerForbidsFraming(string path)
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(viewer.Server.Url) };
            using HttpResponseMessage response = path.StartsWith("api/step") ? await client.PostAsync(path, null) : await client.GetAsync(path);
            Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
            Assert.That(response.Headers.GetValues("Content-Security-Policy"), Is.EqualTo(new[] { "frame-ancestors 'none'" }));
        }

        [TestCase("api/step?n=0", "n: must be a whole number of steps from 1 to 100000\n")]
        [TestCase("api/back?n=abc", "n: must be a whole number of steps from 1 to 100000\n")]
        [TestCase("api/jump?t=NaN", "t: must be a finite number of seconds, 0 or more\n")]
        [TestCase("api/step-iteration?replica=2", "replica: must be 0 to 1\n")]
        public async Task A400SaysWhyInOneLine(string path, string why)
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(viewer.Server.Url) };
            using HttpResponseMessage response = await client.PostAsync(path, null);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(why));
        }

        [Test]
        public async Task AForeignHostIsRefusedWithAReason()
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(viewer.Server.Url) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/state");
            request.Headers.Host = "evil.example";
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("the Host and Origin headers must name this viewer"));
        }

        static HttpRequest Request(string host, string? origin)
        {
            var context = new DefaultHttpContext();
            context.Request.Host = HostString.FromUriComponent(host);
            if (origin != null) context.Request.Headers.Origin = origin;
            return context.Request;
        }

        [TestCase("127.0.0.1", null, 80, true)]
        [TestCase("localhost", "http://localhost", 80, true)]
        [TestCase("127.0.0.1:80", "http://127.0.0.1:80", 80, true)]
        [TestCase("127.0.0.1", null, 5170, false)]
        [TestCase("127.0.0.1:5170", "http://127.0.0.1", 5170, false)]
        [TestCase("evil.example", null, 80, false)]
        public void OnPort80TheHostMayLeaveOutThePort(string host, string? origin, int port, bool accepted)
        {
            Assert.That(ViewerServer.SameOrigin(Request(host, origin), port), Is.EqualTo(accepted));
        }

        [DllImport("libc", SetLastError = true)]
        static extern int kill(int pid, int signal);

        [Test]
        [Platform("Linux")]
        public void SigtermStopsTheViewerCleanly()
        {
            string dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "viewer-sigterm", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string scene = Path.Combine(dir, "scene.yaml");
                File.WriteAllText(scene, "model: llama-2-7b\nhardware: a100-80g\nworkload:\n  synthetic: { requests: 20, arrival: poisson, rate_per_s: 5, prompt_tokens: { dist: uniform, min: 100, max: 200 }, output_tokens: { dist: uniform, min: 10, max: 20 } }\n");
                var start = new ProcessStartInfo(Path.Combine(TestContext.CurrentContext.TestDirectory, "sim")) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string arg in new[] { "view", scene, "--port", "0" }) start.ArgumentList.Add(arg);
                using Process process = Process.Start(start)!;
                string? first = process.StandardOutput.ReadLine();
                Assert.That(first, Does.StartWith("viewer at http://127.0.0.1:"));
                Assert.That(kill(process.Id, 15), Is.EqualTo(0));
                Assert.That(process.WaitForExit(20_000), Is.True, "stopped");
                Assert.That(process.ExitCode, Is.EqualTo(0), process.StandardError.ReadToEnd());
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
