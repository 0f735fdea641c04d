using System.Collections.Generic;
using Sim.Core.Policies;
using Sim.Core.Snapshots;
using Sim.Core.Tokens;

namespace Sim.Core.Pipeline
{
    public sealed partial class Simulation
    {
        /// <summary>
        /// The whole run's state between two steps as bytes: a header (format version, component schema, scene), then
        /// the clock, arrivals taken, every entity and component (the request queues among them), each replica's in-flight iteration, KV pool,
        /// prefix cache and tiers, the routers' states, KV transfers, the request log, KV usage and token mode's store.
        /// Every owner writes its fields by name. <see cref="Load"/> puts it back into a simulation just built from the
        /// same scene and workload; running on from there gives what the uninterrupted run gives.
        /// </summary>
        public byte[] Save()
        {
            _fastForward?.FoldAll();
            var writer = new SnapshotWriter();
            writer.Write(SnapshotSchema.Magic);
            writer.Write(SnapshotSchema.FormatVersion);
            writer.Write(SnapshotSchema.Text);
            writer.Write(Fingerprint());
            foreach (ISnapshotState part in Parts()) part.Save(writer);
            return writer.ToArray();
        }

        /// <summary>
        /// Restores <see cref="Save"/>'s bytes into this simulation, which must be freshly built from the same scene and
        /// workload; a snapshot of another format version, component schema or scene is refused with one line.
        /// </summary>
        public void Load(byte[] snapshot)
        {
            var reader = new SnapshotReader(snapshot);
            if (reader.Read<string>() != SnapshotSchema.Magic) throw new SnapshotException("not a simulation snapshot");
            int version = reader.Read<int>();
            if (version != SnapshotSchema.FormatVersion)
                throw new SnapshotException("the snapshot is of format version " + version + "; this build reads version " + SnapshotSchema.FormatVersion);
            string schema = reader.Read<string>();
            if (schema != SnapshotSchema.Text)
                throw new SnapshotException("the snapshot's components (" + schema + ") differ from this build's (" + SnapshotSchema.Text + ")");
            string fingerprint = reader.Read<string>();
            if (fingerprint != Fingerprint()) throw new SnapshotException("the snapshot is of another scene (" + fingerprint + "), not " + Fingerprint());
            foreach (ISnapshotState part in Parts()) part.Load(reader);
            if (!reader.AtEnd) throw new SnapshotException("the snapshot has data this simulation has no place for: another scene");
            // The fast-forward's lanes hold values read from the world before it was restored.
            _fastForward?.Forget();
        }

        /// <summary>What must match between the saved run and the one restored into: the scene's identity and shape.</summary>
        string Fingerprint() => Scene.Name + " seed " + Scene.Seed + ", " + Cluster.Replicas.Length + " replicas, " + Scene.ModelId;

        /// <summary>The run state's owners, in snapshot order; routers without state (least-loaded, prefix-aware) have none to save.</summary>
        IEnumerable<ISnapshotState> Parts()
        {
            yield return _clock;
            yield return _arrivals;
            yield return World;
            foreach (ReplicaRuntime replica in Cluster.Replicas) yield return replica;
            if (World.GetResource<IRouter>() is ISnapshotState router) yield return router;
            if (World.TryGetResource(out KvTransfers? transfers)) yield return transfers!;
            yield return Log;
            yield return KvUsage;
            if (World.TryGetResource(out TokenStore? tokens)) yield return tokens!;
        }
    }
}
