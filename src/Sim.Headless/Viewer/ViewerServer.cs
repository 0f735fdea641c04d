using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sim.Headless.Viewer
{
    /// <summary>
    /// The viewer's web server: the embedded page and a small JSON API over one <see cref="ViewerSession"/>, on
    /// 127.0.0.1 only. It answers only requests addressed to that origin (a foreign Host or Origin header is
    /// refused, which stops DNS-rebinding pages from driving it), takes no request bodies and no paths from the
    /// client, and bounds every number it reads.
    /// </summary>
    public sealed class ViewerServer : IAsyncDisposable
    {
        /// <summary>The most event steps one request may ask for.</summary>
        public const int MaxStepsPerRequest = 100_000;

        readonly WebApplication _app;
        readonly ViewerSession _session;

        ViewerServer(WebApplication app, ViewerSession session, int port)
        {
            _app = app;
            _session = session;
            Port = port;
        }

        public int Port { get; }

        public string Url => "http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) + "/";

        /// <summary>Starts serving <paramref name="session"/> on 127.0.0.1:<paramref name="port"/> (0: any free port).</summary>
        public static async Task<ViewerServer> StartAsync(ViewerSession session, int port)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, port);
                kestrel.Limits.MaxRequestBodySize = 0;
                kestrel.Limits.MaxRequestLineSize = 2048;
                kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            });
            WebApplication app = builder.Build();
            int boundPort = 0;
            app.Use(async (context, next) =>
            {
                if (!SameOrigin(context.Request, boundPort))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
                if (context.Request.ContentLength > 0)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }
                await next(context);
            });
            MapAssets(app);
            MapApi(app, session);
            await app.StartAsync();
            string address = System.Linq.Enumerable.First(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);
            boundPort = new Uri(address).Port;
            return new ViewerServer(app, session, boundPort);
        }

        /// <summary>Host must name this server (127.0.0.1 or localhost at its port); Origin, when sent, likewise.</summary>
        static bool SameOrigin(HttpRequest request, int port)
        {
            string host = request.Host.Host;
            if ((host != "127.0.0.1" && host != "localhost") || request.Host.Port != port) return false;
            string? origin = request.Headers.Origin;
            if (string.IsNullOrEmpty(origin)) return true;
            string suffix = ":" + port.ToString(CultureInfo.InvariantCulture);
            return origin == "http://127.0.0.1" + suffix || origin == "http://localhost" + suffix;
        }

        static void MapAssets(WebApplication app)
        {
            foreach ((string path, string resource, string type) in new[]
            {
                ("/", "index.html", "text/html; charset=utf-8"),
                ("/viewer.js", "viewer.js", "text/javascript; charset=utf-8"),
                ("/viewer.css", "viewer.css", "text/css; charset=utf-8"),
            })
            {
                byte[] bytes = Asset(resource);
                app.MapGet(path, () => Results.Bytes(bytes, type));
            }
        }

        static byte[] Asset(string name)
        {
            using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("viewer/" + name)
                ?? throw new InvalidOperationException("viewer asset " + name + " is not embedded");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        static void MapApi(WebApplication app, ViewerSession session)
        {
            app.MapGet("/api/state", (HttpRequest request) =>
            {
                if (!TryInt(request, "replica", 0, out int replica) || !TryLong(request, "follow", -1, out long followed)) return Results.BadRequest();
                return session.Read((host, latencies, history) =>
                {
                    if (replica < 0 || replica >= host.ReplicaCount) return Results.BadRequest();
                    return Results.Bytes(StateJson.Write(host, latencies, history, replica, followed), "application/json");
                });
            });
            app.MapPost("/api/step", (HttpRequest request) =>
            {
                if (!TryInt(request, "n", 1, out int steps) || steps < 1 || steps > MaxStepsPerRequest) return Results.BadRequest();
                session.Step(steps);
                return Results.NoContent();
            });
            app.MapPost("/api/step-iteration", (HttpRequest request) =>
            {
                if (!TryInt(request, "replica", 0, out int replica)) return Results.BadRequest();
                bool known = session.Read((host, _) => replica >= 0 && replica < host.ReplicaCount);
                if (!known) return Results.BadRequest();
                session.StepIteration(replica);
                return Results.NoContent();
            });
            app.MapPost("/api/back", (HttpRequest request) =>
            {
                if (!TryInt(request, "n", 1, out int steps) || steps < 1 || steps > MaxStepsPerRequest) return Results.BadRequest();
                session.Back(steps);
                return Results.NoContent();
            });
            app.MapPost("/api/jump", (HttpRequest request) =>
            {
                string? text = request.Query["t"];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double timeS) || !(timeS >= 0) || double.IsInfinity(timeS))
                    return Results.BadRequest();
                session.JumpTo(timeS);
                return Results.NoContent();
            });
        }

        static bool TryInt(HttpRequest request, string name, int fallback, out int value)
        {
            string? text = request.Query[name];
            if (string.IsNullOrEmpty(text))
            {
                value = fallback;
                return true;
            }
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        }

        static bool TryLong(HttpRequest request, string name, long fallback, out long value)
        {
            string? text = request.Query[name];
            if (string.IsNullOrEmpty(text))
            {
                value = fallback;
                return true;
            }
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>Serves until <paramref name="stop"/> is cancelled.</summary>
        public Task WaitAsync(CancellationToken stop) => Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _session.Dispose();
        }
    }
}
