using System;
using System.ComponentModel;
using Sim.Core;
using Sim.Headless.Viewer;
using Sim.Headless.CommandLine;

namespace Sim.Headless.Commands
{
    /// <summary><c>sim view SCENE.yaml</c>: the step-through viewer in the browser, served on 127.0.0.1 until Ctrl+C.</summary>
    public sealed class ViewCommand : Command<ViewCommand.Settings>
    {
        public sealed class Settings : SceneSettings
        {
            [CommandOption("--port <N>")]
            [Description("Port on 127.0.0.1 (default 5170; 0 picks a free one).")]
            public int Port { get; set; } = 5170;
        }

        public override int Execute(Settings settings)
        {
            if (!JitCommands.IsAvailable) return JitCompanion.Run("sim view");
            if (settings.Port < 0 || settings.Port > 65535) throw new SimInputException("--port", 0, "", "must be 0..65535");
            var session = new ViewerSession(settings.LoadScene());
            // Ctrl+C or SIGTERM (a service manager, `kill`) stops serving and returns 0: that is how the viewer ends.
            ViewerServer server;
            try
            {
                server = ViewerServer.StartAsync(session, settings.Port).GetAwaiter().GetResult();
            }
            catch (System.IO.IOException e)
            {
                session.Dispose();
                throw new SimInputException("--port", 0, "", "cannot listen on 127.0.0.1:" + settings.Port + " (" + e.Message + "); pick another port, or 0 for any free one");
            }
            Console.Out.WriteLine("viewer at " + server.Url + " (Ctrl+C or SIGTERM to stop)");
            server.WaitAsync(Interrupts.StopToken()).GetAwaiter().GetResult();
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }
    }
}
