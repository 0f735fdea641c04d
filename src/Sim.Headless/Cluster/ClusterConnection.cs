using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Sim.Core;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// A client of the workers' cluster. <c>localhost</c>: the workers on this machine (localhost clustering, gateway
    /// <see cref="WorkerSilo.DefaultGatewayPort"/>); anything else is a Redis connection string (<c>host:port[,password=...]</c>).
    /// </summary>
    public sealed class ClusterConnection : IAsyncDisposable
    {
        readonly IHost _host;

        ClusterConnection(IHost host)
        {
            _host = host;
            Client = host.Services.GetRequiredService<IClusterClient>();
        }

        public IClusterClient Client { get; }

        public static async Task<ClusterConnection> Open(string conn)
        {
            if (string.IsNullOrWhiteSpace(conn)) throw new SimInputException("--cluster", 0, "", "give localhost or a Redis connection string (host:port)");
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Logging.SetMinimumLevel(LogLevel.None);
            builder.UseOrleansClient(client =>
            {
                if (conn == "localhost") client.UseLocalhostClustering(WorkerSilo.DefaultGatewayPort, WorkerSilo.ClusterId, WorkerSilo.ClusterId);
                else
                {
                    client.UseRedisClustering(conn);
                    client.Configure<ClusterOptions>(o => { o.ClusterId = WorkerSilo.ClusterId; o.ServiceId = WorkerSilo.ClusterId; });
                }
            });
            IHost host = builder.Build();
            try
            {
                await host.StartAsync();
            }
            catch (Exception e)
            {
                host.Dispose();
                throw new SimInputException("--cluster", 0, conn, "no worker reachable (" + e.GetType().Name + ": " + e.Message.Split('\n')[0].Trim() + "); start one with `sim worker`");
            }
            return new ClusterConnection(host);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _host.StopAsync(TimeSpan.FromSeconds(5));
            }
            finally
            {
                _host.Dispose();
            }
        }
    }
}
