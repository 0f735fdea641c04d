using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using Sim.Core.Scenes;

namespace Sim.Headless.Commands
{
    /// <summary>Reads a scene's workload (the trace, parsed whole) on a thread of its own while the caller does other work.</summary>
    internal sealed class WorkloadReader
    {
        readonly Thread _thread;
        SceneWorkload? _workload;
        ExceptionDispatchInfo? _failure;

        public WorkloadReader(Scene scene)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    _workload = SceneWorkload.Open(scene);
                }
                catch (Exception e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
            }) { IsBackground = true, Name = "trace read" };
            _thread.Start();
        }

        /// <summary>Waits for the read: the workload, or the reader's exception (a bad trace line) thrown here as it was thrown there.</summary>
        public SceneWorkload Join()
        {
            _thread.Join();
            _failure?.Throw();
            return _workload!;
        }
    }
}
