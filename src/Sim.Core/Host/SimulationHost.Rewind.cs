using System;
using System.Collections.Generic;
using Sim.Core.Components;
using Sim.Core.Pipeline;
using Sim.Core.Snapshots;

namespace Sim.Core.Host
{
    /// <summary>Snapshots of the run, and going back to an earlier step or time through them.</summary>
    public sealed partial class SimulationHost
    {
        /// <summary>
        /// Keep a snapshot every this many steps (0: none), so <see cref="RewindTo"/> restores the nearest and steps
        /// forward rather than replaying from the start. Memory grows with the run: one snapshot per interval.
        /// </summary>
        public long RewindEvery { get; set; }

        /// <summary>The run's whole state now (<see cref="Simulation.Save"/>) and each replica's last finished iteration, for the views.</summary>
        public byte[] Snapshot()
        {
            var writer = new SnapshotWriter();
            writer.Write(_simulation.Save());
            foreach (IterationView? view in _lastIterations)
            {
                writer.Write(view != null);
                view?.Save(writer);
            }
            return writer.ToArray();
        }

        /// <summary>
        /// Puts the run back to <paramref name="snapshot"/> (taken from this host, or another host of the same scene):
        /// a simulation is built afresh and the snapshot loaded into it; the views follow. Events are not replayed.
        /// </summary>
        public void Restore(byte[] snapshot)
        {
            var reader = new SnapshotReader(snapshot);
            Simulation restored = Build();
            try
            {
                restored.Load(reader.Read<byte[]>());
                for (int r = 0; r < _lastIterations.Length; r++)
                {
                    _lastIterations[r] = reader.Read<bool>() ? new IterationView(reader) : null;
                }
            }
            catch
            {
                restored.Dispose();
                throw;
            }
            _simulation.Dispose();
            _simulation = restored;
            ReplicaRuntime[] replicas = restored.Cluster.Replicas;
            for (int r = 0; r < replicas.Length; r++)
            {
                _iterationsDone[r] = restored.World.Get<ReplicaInfo>(replicas[r].Entity).Iterations;
                _evictionsSeen[r] = replicas[r].Kv.Prefix?.Evictions ?? 0;
            }
            _tokensEvictedSeen = _tokens?.Stats.TokensEvicted ?? 0;
        }

        /// <summary>
        /// Back (or forward) to the first state at or after step <paramref name="step"/>: restores the latest kept
        /// snapshot not after it (the start when none) and steps on. The run is deterministic, so this is exactly
        /// the state the run had then.
        /// </summary>
        public void RewindTo(long step)
        {
            if (step < _simulation.Steps) RestoreLatest(point => point.Key <= step);
            RunUntil(host => host.Steps >= step);
        }

        /// <summary>Back (or forward) to the first state at or after simulated time <paramref name="timeS"/>, as <see cref="RewindTo"/>.</summary>
        public void RewindToTime(double timeS)
        {
            if (timeS < _simulation.NowS) RestoreLatest(point => point.Value.NowS <= timeS);
            RunUntil(timeS);
        }

        /// <summary>Restores the latest kept snapshot that <paramref name="usable"/> accepts, or the start.</summary>
        void RestoreLatest(Func<KeyValuePair<long, (double NowS, byte[] Snapshot)>, bool> usable)
        {
            for (int i = _rewindPoints.Count - 1; i >= 0; i--)
            {
                var point = new KeyValuePair<long, (double, byte[])>(_rewindPoints.Keys[i], _rewindPoints.Values[i]);
                if (!usable(point)) continue;
                Restore(point.Value.Item2);
                return;
            }
            RestoreStart();
        }

        void RestoreStart()
        {
            _simulation.Dispose();
            _simulation = Build();
            for (int r = 0; r < _lastIterations.Length; r++)
            {
                _lastIterations[r] = null;
                _iterationsDone[r] = 0;
                _evictionsSeen[r] = 0;
            }
            _tokensEvictedSeen = 0;
        }
    }
}
