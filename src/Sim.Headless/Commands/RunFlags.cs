using System.IO;
using Sim.Core;
using Sim.Core.Scenes;
using Sim.Core.Trace;

namespace Sim.Headless.Commands
{
    /// <summary>Applies the scene commands' convenience flags to a loaded scene; they win over the scene's own fields.</summary>
    internal static class RunFlags
    {
        public static void ApplyTo(Scene scene, SceneSettings settings)
        {
            if (settings.TracePath != null)
            {
                // A trace on the command line replaces the scene's workload and resolves from the working folder.
                scene.TracePath = Path.GetFullPath(settings.TracePath);
                scene.Synthetic = null;
                scene.Overrides.Add("--trace=" + settings.TracePath);
            }
            if (settings.TraceFormat != null)
            {
                if (System.Array.IndexOf(new[] { "auto", "azure", "mooncake", "vidur" }, settings.TraceFormat) < 0)
                    throw new SimInputException("--trace-format", 0, "", "unknown format '" + settings.TraceFormat + "'; use auto, azure, mooncake or vidur");
                scene.TraceFormat = SceneLoader.ParseFormat(settings.TraceFormat);
                scene.Overrides.Add("--trace-format=" + settings.TraceFormat);
            }
            if (settings.Requests.HasValue)
            {
                if (settings.Requests.Value < 1) throw new SimInputException("--requests", 0, "", "must be at least 1");
                scene.MaxRequests = settings.Requests.Value;
                scene.Overrides.Add("--requests=" + settings.Requests.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            if (settings.Seed.HasValue)
            {
                if (settings.Seed.Value < 0) throw new SimInputException("--seed", 0, "", "must not be negative");
                scene.Seed = (ulong)settings.Seed.Value;
                scene.Overrides.Add("--seed=" + settings.Seed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        /// <summary>Applies a checked <c>--time-scale</c> to the scene and records it among the scene's overrides.</summary>
        public static void ApplyTimeScale(Scene scene, double x)
        {
            if (!(x > 0) || double.IsInfinity(x)) throw new SimInputException("--time-scale", 0, "", "must be a finite number above 0");
            scene.TimeScale = x;
            scene.Overrides.Add("--time-scale=" + x.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
