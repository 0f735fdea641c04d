#nullable enable
using System;
using System.Collections.Generic;
using Sim.Core.Host;

namespace Sim.Unity
{
    /// <summary>
    /// Drives a <see cref="SimulationHost"/> from an editor's update loop: play, pause, single steps, a wall-time
    /// budget per frame, and what a window draws — each replica's queues, last batch and page map as colours.
    /// Plain C# (no Unity types), so it runs and is tested outside Unity.
    /// </summary>
    public sealed class SimulationDriver : IDisposable
    {
        readonly SimulationHost _host;

        public SimulationDriver(SimulationHost host)
        {
            _host = host;
        }

        /// <summary>Loads a scene file (the path a window's field holds).</summary>
        public static SimulationDriver Load(string scenePath) => new SimulationDriver(SimulationHost.Load(scenePath));

        public SimulationHost Host => _host;

        /// <summary>Whether <see cref="Tick"/> advances the simulation.</summary>
        public bool Playing { get; set; }

        /// <summary>Wall time per frame the simulation may use while playing.</summary>
        public TimeSpan FrameBudget { get; set; } = TimeSpan.FromMilliseconds(8);

        /// <summary>Called once per editor frame: steps for the frame budget while playing; returns the steps taken.</summary>
        public long Tick()
        {
            if (!Playing || _host.Done) return 0;
            long steps = _host.StepFor(FrameBudget);
            if (_host.Done) Playing = false;
            return steps;
        }

        /// <summary>One replica iteration of <paramref name="replica"/> (the window's Step button).</summary>
        public bool StepIteration(int replica) => _host.StepIteration(replica);

        /// <summary>One line per replica for a status bar: simulated time, queue lengths and KV use.</summary>
        public string Status(int replica)
        {
            IterationView? last = _host.LastIteration(replica);
            int waiting = _host.Waiting(replica).Count, running = _host.Running(replica).Count;
            string kv = last == null ? "-" : (100.0 * last.KvUsedPages / last.KvTotalPages).ToString("F1") + "%";
            return "replica " + replica + "  t=" + _host.NowS.ToString("F3") + "s  waiting " + waiting + "  running " + running + "  KV " + kv;
        }

        /// <summary>The page map of <paramref name="replica"/> as RGB colours, one per page in physical order.</summary>
        public IReadOnlyList<PageColour> PageColours(int replica)
        {
            IReadOnlyList<PageView> pages = _host.Pages(replica);
            var colours = new PageColour[pages.Count];
            for (int i = 0; i < colours.Length; i++) colours[i] = PageColour.Of(pages[i]);
            return colours;
        }

        public void Dispose() => _host.Dispose();
    }
}
