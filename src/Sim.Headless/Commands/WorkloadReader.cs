using System;
using System.Runtime.ExceptionServices;
using Sim.Core.Scenes;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Reads a scene's workload (the trace, parsed whole) once, when the caller has the time: as the perf model's attention
    /// table is read on another thread (<see cref="Read"/> handed to the perf model), or else when the workload is needed.
    /// </summary>
    internal sealed class WorkloadReader
    {
        readonly Scene _scene;
        bool _read;
        SceneWorkload? _workload;
        ExceptionDispatchInfo? _failure;

        public WorkloadReader(Scene scene)
        {
            _scene = scene;
        }

        /// <summary>Reads the workload unless it was read; an error (a bad trace line) is kept for <see cref="Workload"/>, not thrown here.</summary>
        public void Read()
        {
            if (_read) return;
            _read = true;
            try
            {
                _workload = SceneWorkload.Open(_scene);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        }

        /// <summary>The workload, read now if it was not, or the reader's exception thrown here as it was thrown there.</summary>
        public SceneWorkload Workload()
        {
            Read();
            _failure?.Throw();
            return _workload!;
        }
    }
}
