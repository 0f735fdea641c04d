using Sim.Core.Pipeline;

namespace Sim.Core.Systems
{
    /// <summary>One unit of per-step work. State lives in components and world resources, never in the system.</summary>
    public interface ISystem
    {
        Phase Phase { get; }

        void Update();
    }
}
