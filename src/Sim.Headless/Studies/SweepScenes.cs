using System.Collections.Generic;
using System.Linq;
using Sim.Core;
using Sim.Core.Scenes;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// Loads every point's scene before anything runs. A key or value the scene rejects is reported at its line in the
    /// sweep file, not as the override it became; a combination the scene rejects names the point.
    /// </summary>
    public static class SweepScenes
    {
        public static List<Scene> Load(SweepFile sweep, IReadOnlyList<SweepPoint> points)
        {
            for (int i = 0; i < sweep.Fixed.Count; i++)
            {
                string fixedOverride = sweep.Fixed[i];
                string key = fixedOverride.Substring(0, fixedOverride.IndexOf('='));
                Rethrown(() => SceneLoader.Load(sweep.ScenePath, new[] { fixedOverride }), sweep.Path, sweep.FixedLines[i], "set." + key, key);
            }
            Rethrown(() => SceneLoader.Load(sweep.ScenePath, sweep.Fixed), sweep.Path, 0, "set", "");
            foreach (var key in sweep.Grid)
                foreach (var value in key.Values)
                    Rethrown(() => SceneLoader.Load(sweep.ScenePath, sweep.Fixed.Concat(new[] { key.Key + "=" + value.Value }).ToArray()), sweep.Path, value.Line, "grid." + key.Key, key.Key);
            var scenes = new List<Scene>(points.Count);
            foreach (SweepPoint point in points)
                scenes.Add(Rethrown(() => SceneLoader.Load(sweep.ScenePath, point.Overrides(sweep)), sweep.Path, 0, "grid (" + point.Label(sweep) + ")", ""));
            return scenes;
        }

        /// <summary>Runs <paramref name="load"/>; a mistake in the overrides it was given comes back located in the sweep file.</summary>
        /// <param name="key">The scene key the sweep's field stands for; the scene's own field is named only when it says more.</param>
        static Scene Rethrown(System.Func<Scene> load, string sweepPath, int line, string field, string key)
        {
            try
            {
                return load();
            }
            catch (SimInputException e) when (e.File.StartsWith("--set ", System.StringComparison.Ordinal))
            {
                throw new SimInputException(sweepPath, line, field, (e.Field.Length > 0 && e.Field != key ? e.Field + ": " : "") + e.Problem);
            }
        }
    }
}
