using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Sim.Headless.Tests.Viewer
{
    /// <summary>The viewer's HTTP API and its guards, against the session's own state.</summary>
    public class ViewerApiTests
    {
        static async Task<JsonElement> State(HttpClient client, string query = "")
        {
            using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync("api/state" + query));
            return document.RootElement.Clone();
        }

        [Test]
        public async Task ThePageIsServedFromTheAssembly()
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new System.Uri(viewer.Server.Url) };
            Assert.That(await client.GetStringAsync(""), Does.Contain("step-through viewer"));
            Assert.That(await client.GetStringAsync("viewer.js"), Does.Contain("/api/state"));
        }

        [Test]
        public async Task StepsBackAndJumpsMoveTheSharedRunAndBackGivesTheEarlierStateExactly()
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new System.Uri(viewer.Server.Url) };
            Assert.That((await State(client)).GetProperty("steps").GetInt64(), Is.EqualTo(0));
            (await client.PostAsync("api/step?n=7", null)).EnsureSuccessStatusCode();
            string atSeven = await client.GetStringAsync("api/state?replica=1");
            Assert.That(viewer.Session.Read((host, _) => host.Steps), Is.EqualTo(7));
            (await client.PostAsync("api/step?n=5", null)).EnsureSuccessStatusCode();
            (await client.PostAsync("api/back?n=5", null)).EnsureSuccessStatusCode();
            Assert.That(await client.GetStringAsync("api/state?replica=1"), Is.EqualTo(atSeven), "back re-creates the earlier state byte for byte");

            (await client.PostAsync("api/jump?t=0.75", null)).EnsureSuccessStatusCode();
            JsonElement jumped = await State(client);
            Assert.That(jumped.GetProperty("now_s").GetDouble(), Is.GreaterThanOrEqualTo(0.75));
            (await client.PostAsync("api/jump?t=0", null)).EnsureSuccessStatusCode();
            Assert.That((await State(client)).GetProperty("steps").GetInt64(), Is.EqualTo(0));

            (await client.PostAsync("api/step-iteration?replica=1", null)).EnsureSuccessStatusCode();
            JsonElement afterIteration = await State(client, "?replica=1");
            Assert.That(afterIteration.GetProperty("batch").GetProperty("iteration").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(afterIteration.GetProperty("batch").GetProperty("sequences").GetArrayLength(), Is.GreaterThan(0));
        }

        [Test]
        public async Task TheStateCarriesTheHostsQueuesAndPageMap()
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new System.Uri(viewer.Server.Url) };
            (await client.PostAsync("api/step?n=60", null)).EnsureSuccessStatusCode();
            JsonElement state = await State(client);
            viewer.Session.Read((host, _) =>
            {
                Assert.That(state.GetProperty("running").GetArrayLength(), Is.EqualTo(host.Running(0).Count));
                Assert.That(state.GetProperty("waiting").GetArrayLength(), Is.EqualTo(host.Waiting(0).Count));
                JsonElement pages = state.GetProperty("pages");
                Assert.That(pages.GetProperty("total").GetInt32(), Is.EqualTo(host.Simulation.Cluster.Replicas[0].Kv.TotalPages));
                Assert.That(pages.GetProperty("owned").GetInt32(), Is.EqualTo(host.Simulation.Cluster.Replicas[0].Kv.UsedPages));
                Assert.That(pages.GetProperty("uses").GetString()!.Length, Is.EqualTo(pages.GetProperty("total").GetInt32()));
                return 0;
            });
            long followed = state.GetProperty("running")[0].GetProperty("id").GetInt64();
            JsonElement following = await State(client, "?follow=" + followed);
            Assert.That(following.GetProperty("followed").GetProperty("request").GetProperty("id").GetInt64(), Is.EqualTo(followed));
        }

        [TestCase("Host", "evil.example:80")]
        [TestCase("Origin", "http://evil.example")]
        [TestCase("Origin", "http://127.0.0.1:1")]
        public async Task RequestsFromAnotherOriginAreRefused(string header, string value)
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new System.Uri(viewer.Server.Url) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/step?n=1");
            if (header == "Host") request.Headers.Host = value;
            else request.Headers.Add(header, value);
            Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(viewer.Session.Read((host, _) => host.Steps), Is.EqualTo(0), "nothing moved");
        }

        [Test]
        public async Task BodiesAndOutOfRangeArgumentsAreRefused()
        {
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            using var client = new HttpClient { BaseAddress = new System.Uri(viewer.Server.Url) };
            Assert.That((await client.PostAsync("api/step?n=1", new StringContent("x"))).StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            foreach (string bad in new[] { "api/step?n=0", "api/step?n=100001", "api/step?n=abc", "api/back?n=-1", "api/jump?t=-1", "api/jump?t=NaN", "api/step-iteration?replica=2" })
                Assert.That((await client.PostAsync(bad, null)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), bad);
            Assert.That((await client.GetAsync("api/state?replica=5")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await client.GetAsync("etc/passwd")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(viewer.Session.Read((host, _) => host.Steps), Is.EqualTo(0));
        }
    }
}
