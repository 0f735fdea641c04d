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
    /// refused, which stops DNS-rebinding pages from driving it), takes no request bodies (of any framing) and no
    /// paths from the client, bounds every number it reads, and forbids other pages from framing it (clickjacking).
    /// Every refusal says why in one line of text.
    /// </summary>
    public sealed class ViewerServer : IAsyncDisposable
    {
        /// <summary>The most event steps one request may ask for.</summary>
        public const int MaxStepsPerRequest = 100_000;

        static readonly string StepsRule = "n: must be a whole number of steps from 1 to " + MaxStepsPerRequest.ToString(CultureInfo.InvariantCulture);

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
                context.Response.Headers.XFrameOptions = "DENY";
                context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                if (!SameOrigin(context.Request, boundPort))
                {
                    await Refuse(context, StatusCodes.Status403Forbidden, "the Host and Origin headers must name this viewer, http://127.0.0.1:" + boundPort.ToString(CultureInfo.InvariantCulture) + " (or localhost)");
                    return;
                }
                // Chunked bodies carry no Content-Length: any Transfer-Encoding is a body too.
                if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
                {
                    await Refuse(context, StatusCodes.Status413PayloadTooLarge, "the viewer takes no request bodies; its API reads only the query string");
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

        /// <summary>
        /// Host must name this server (127.0.0.1 or localhost at its port); Origin, when sent, likewise. On port 80
        /// browsers leave the port out of both, as HTTP's default.
        /// </summary>
        internal static bool SameOrigin(HttpRequest request, int port)
        {
            string host = request.Host.Host;
            int? hostPort = request.Host.Port ?? (port == 80 ? 80 : (int?)null);
            if ((host != "127.0.0.1" && host != "localhost") || hostPort != port) return false;
            string? origin = request.Headers.Origin;
            if (string.IsNullOrEmpty(origin)) return true;
            string suffix = ":" + port.ToString(CultureInfo.InvariantCulture);
            if (origin == "http://127.0.0.1" + suffix || origin == "http://localhost" + suffix) return true;
            return port == 80 && (origin == "http://127.0.0.1" || origin == "http://localhost");
        }

        static Task Refuse(HttpContext context, int status, string why)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync(why + "\n");
        }

        /// <summary>A 400 that says which parameter was wrong and what it takes.</summary>
        static IResult Bad(string why) => Results.Text(why + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

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
                if (!TryInt(request, "replica", 0, out int replica)) return Bad("replica: not a whole number");
                if (!TryLong(request, "follow", -1, out long followed)) return Bad("follow: not a whole number (a request id)");
                return session.Read((host, latencies, history) =>
                {
                    if (replica < 0 || replica >= host.ReplicaCount) return Bad("replica: must be 0 to " + (host.ReplicaCount - 1).ToString(CultureInfo.InvariantCulture));
                    return Results.Bytes(StateJson.Write(host, latencies, history, replica, followed), "application/json");
                });
            });
            app.MapPost("/api/step", (HttpRequest request) =>
            {
                if (!TryInt(request, "n", 1, out int steps) || steps < 1 || steps > MaxStepsPerRequest) return Bad(StepsRule);
                session.Step(steps);
                return Results.NoContent();
            });
            app.MapPost("/api/step-iteration", (HttpRequest request) =>
            {
                if (!TryInt(request, "replica", 0, out int replica)) return Bad("replica: not a whole number");
                int replicas = session.Read((host, _) => host.ReplicaCount);
                if (replica < 0 || replica >= replicas) return Bad("replica: must be 0 to " + (replicas - 1).ToString(CultureInfo.InvariantCulture));
                session.StepIteration(replica);
                return Results.NoContent();
            });
            app.MapPost("/api/back", (HttpRequest request) =>
            {
                if (!TryInt(request, "n", 1, out int steps) || steps < 1 || steps > MaxStepsPerRequest) return Bad(StepsRule);
                session.Back(steps);
                return Results.NoContent();
            });
            app.MapPost("/api/jump", (HttpRequest request) =>
            {
                string? text = request.Query["t"];
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double timeS) || !(timeS >= 0) || double.IsInfinity(timeS))
                    return Bad("t: must be a finite number of seconds, 0 or more");
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
