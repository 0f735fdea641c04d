using System.Collections.Generic;
using Sim.Core.Metrics;
using Sim.Core.Policies;
using Sim.Core.Snapshots;
using Sim.Core.Tokens;

namespace Sim.Core.Pipeline
{
    public sealed partial class Simulation
    {
        const string SnapshotFormat = "sim-snapshot-1";

        /// <summary>
        /// The whole run's state between two steps as bytes: clock, arrivals taken, every entity and component, each
        /// replica's queues, in-flight iteration, KV pool, prefix cache and tiers, the routers' states, KV transfers,
        /// the request log and KV usage. <see cref="Load"/> puts it back into a simulation just built from the same
        /// scene and workload; running on from there gives what the uninterrupted run gives.
        /// </summary>
        public byte[] Save()
        {
            var writer = new SnapshotWriter();
            writer.Write(SnapshotFormat);
            writer.Write(Fingerprint());
            StateFields.Save(_clock, writer);
            writer.Write(_arrivals.Taken);
            StateFields.Save(_arrivals, writer);
            World.Save(writer);
            foreach (object part in Parts()) SnapshotTree.Save(part, writer);
            return writer.ToArray();
        }

        /// <summary>Restores <see cref="Save"/>'s bytes into this simulation, which must be freshly built from the same scene and workload.</summary>
        public void Load(byte[] snapshot)
        {
            var reader = new SnapshotReader(snapshot);
            if (reader.Read<string>() != SnapshotFormat) throw new SnapshotException("not a simulation snapshot of this version");
            string fingerprint = reader.Read<string>();
            if (fingerprint != Fingerprint()) throw new SnapshotException("the snapshot is of another scene (" + fingerprint + "), not " + Fingerprint());
            StateFields.Load(_clock, reader);
            _arrivals.CatchUp(reader.Read<long>());
            StateFields.Load(_arrivals, reader);
            World.Load(reader);
            foreach (object part in Parts()) SnapshotTree.Load(part, reader);
            if (!reader.AtEnd) throw new SnapshotException("the snapshot has data this simulation has no place for: another scene");
        }

        /// <summary>What must match between the saved run and the one restored into: the scene's identity and shape.</summary>
        string Fingerprint() => Scene.Name + " seed " + Scene.Seed + ", " + Cluster.Replicas.Length + " replicas, " + Scene.ModelId;

        /// <summary>The objects outside the world that hold run state, in snapshot order.</summary>
        IEnumerable<object> Parts()
        {
            foreach (ReplicaRuntime replica in Cluster.Replicas) yield return replica;
            yield return World.GetResource<IRouter>();
            if (World.TryGetResource(out KvTransfers? transfers)) yield return transfers!;
            yield return Log;
            yield return KvUsage;
            if (World.TryGetResource(out TokenStore? tokens)) yield return tokens!;
        }
    }
}
