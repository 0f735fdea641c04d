using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Sim.Headless.Cluster
{
    /// <summary>How a worker's silo is put together; <c>sim worker</c> and the tests' in-process clusters share it.</summary>
    public static class WorkerSilo
    {
        /// <summary>Cluster and service id every worker and client of this simulator uses.</summary>
        public const string ClusterId = "sim";

        public const int DefaultSiloPort = 11111;

        public const int DefaultGatewayPort = 30000;

        /// <summary>The point grains and what they need; clustering is configured separately.</summary>
        public static void AddWorkerServices(ISiloBuilder silo, WorkerOptions options)
        {
            silo.Services.AddSingleton(options);
            silo.Services.AddSingleton<WorkerTraceFiles>();
            silo.Services.AddSingleton<WorkerSlots>();
            silo.Services.AddSingleton<PointRunner>();
        }

        /// <summary>Localhost clustering: every worker on this machine joins the one on <see cref="DefaultSiloPort"/>.</summary>
        public static void UseLocalhost(ISiloBuilder silo, int siloPort, int gatewayPort)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, DefaultSiloPort), ClusterId, ClusterId);
        }

        /// <summary>Redis clustering: the membership table lives in Redis; the silo advertises <paramref name="advertise"/> (or its host's address).</summary>
        public static void UseRedis(ISiloBuilder silo, string redis, IPAddress? advertise, int siloPort, int gatewayPort)
        {
            silo.UseRedisClustering(redis);
            silo.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ClusterId; });
            if (advertise != null) silo.ConfigureEndpoints(advertise, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertise));
            else silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
        }
    }
}
