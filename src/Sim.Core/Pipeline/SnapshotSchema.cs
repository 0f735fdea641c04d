using System.Text;
using Sim.Core.Components;
using Sim.Core.Ecs;

namespace Sim.Core.Pipeline
{
    /// <summary>
    /// What a simulation snapshot of this build holds: the format version (raised whenever an owner writes its state
    /// differently) and every component type with its size. A snapshot whose schema differs is refused before anything
    /// is read. Building the schema registers the component types, so a world restoring a snapshot can name the
    /// columns of archetypes it has not made yet.
    /// </summary>
    internal static class SnapshotSchema
    {
        public const string Magic = "sim-snapshot";

        public const int FormatVersion = 8;

        static readonly ComponentType[] Components =
        {
            ComponentType.Of<ReplicaInfo>(),
            ComponentType.Of<RequestInfo>(),
            ComponentType.Of<RequestProgress>(),
            ComponentType.Of<RequestTimes>(),
            ComponentType.Of<KvPageTable>(),
            ComponentType.Of<PrefixState>(),
            ComponentType.Of<KvPage>(),
            ComponentType.Of<KvToken>(),
            ComponentType.Of<ExpertState>(),
            ComponentType.Of<QueueLink>(),
            ComponentType.Of<ReplicaQueues>(),
            ComponentType.Of<KvPoolHeader>(),
            ComponentType.Of<PrefixBlock>(),
            ComponentType.Of<KvLanding>(),
        };

        /// <summary>"Name:bytes" of each component type, in a fixed order.</summary>
        public static readonly string Text = Describe();

        static string Describe()
        {
            var text = new StringBuilder();
            foreach (ComponentType type in Components)
            {
                if (text.Length > 0) text.Append(' ');
                text.Append(type.Type.Name).Append(':').Append(type.SizeBytes);
            }
            return text.ToString();
        }
    }
}
