using System;
using System.ComponentModel;
using System.Net;
using System.Threading;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sim.Core;
using Sim.Headless.Cluster;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim worker</c>: an Orleans silo that runs sweep and capacity points for <c>--cluster</c> clients, until stopped.</summary>
    public sealed class WorkerCommand : Command<WorkerCommand.Settings>
    {
        public sealed class Settings : CommandSettings
        {
            [CommandOption("--redis <CONN>")]
            [Description("Cluster through Redis (host:port[,password=...]) to reach workers on other machines. Default: localhost clustering.")]
            public string? Redis { get; set; }

            [CommandOption("--port <N>")]
            [Description("Silo port, between workers (default 11111; localhost clustering: the first worker's must be 11111).")]
            public int Port { get; set; } = WorkerSilo.DefaultSiloPort;

            [CommandOption("--gateway-port <N>")]
            [Description("Gateway port, for clients (default 30000).")]
            public int GatewayPort { get; set; } = WorkerSilo.DefaultGatewayPort;

            [CommandOption("--advertise <ADDRESS>")]
            [Description("With --redis: the address other machines reach this worker at (default: the host's).")]
            public string? Advertise { get; set; }

            [CommandOption("--slots <N>")]
            [Description("Points run at once (default: one per core).")]
            public int? Slots { get; set; }

            [CommandOption("--cache <DIR>")]
            [Description("Where fetched traces are kept by content hash (default ~/.cache/sim-worker).")]
            public string? Cache { get; set; }
        }

        public override int Execute(Settings settings)
        {
            if (!JitCommands.IsAvailable) return JitCompanion.Run("sim worker");
            var options = new WorkerOptions();
            if (settings.Slots.HasValue)
            {
                if (settings.Slots.Value < 1) throw new SimInputException("--slots", 0, "", "must be at least 1");
                options.Slots = settings.Slots.Value;
            }
            if (settings.Cache != null) options.CacheDir = System.IO.Path.GetFullPath(settings.Cache);
            CheckPort("--port", settings.Port);
            CheckPort("--gateway-port", settings.GatewayPort);
            IPAddress? advertise = null;
            if (settings.Advertise != null && !IPAddress.TryParse(settings.Advertise, out advertise))
                throw new SimInputException("--advertise", 0, "", "'" + settings.Advertise + "' is not an IP address");
            if (settings.Advertise != null && settings.Redis == null) throw new SimInputException("--advertise", 0, "", "needs --redis (localhost clustering stays on 127.0.0.1)");

            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            // Orleans' own log at warnings and above: a lost peer or a refused connection, not every activation.
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error); // its start-up advice on server GC does not apply to a worker
            builder.UseOrleans(silo =>
            {
                if (settings.Redis != null) WorkerSilo.UseRedis(silo, settings.Redis, advertise, settings.Port, settings.GatewayPort);
                else WorkerSilo.UseLocalhost(silo, settings.Port, settings.GatewayPort);
                WorkerSilo.AddWorkerServices(silo, options);
            });
            using IHost host = builder.Build();
            host.StartAsync().GetAwaiter().GetResult();
            Console.Error.WriteLine("worker: " + options.Slots + " slots, silo port " + settings.Port + ", gateway port " + settings.GatewayPort
                + (settings.Redis != null ? ", Redis clustering" : ", localhost clustering") + ", version " + options.Version + ", traces in " + options.CacheDir);
            host.WaitForShutdownAsync().GetAwaiter().GetResult();
            return 0;
        }

        static void CheckPort(string flag, int port)
        {
            if (port < 1 || port > 65535) throw new SimInputException(flag, 0, "", "must be a port number, 1 to 65535");
        }
    }
}
