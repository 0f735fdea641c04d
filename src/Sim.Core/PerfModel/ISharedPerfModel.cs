namespace Sim.Core.PerfModel
{
    /// <summary>
    /// A perf model whose calls may come from several threads at once: its times depend on its arguments alone, and what it
    /// keeps (<see cref="SizeMemo{T}"/>) is safe to share. The groups of a partitioned run share such a model when the run is
    /// given one; a run given any other model steps in one world.
    /// </summary>
    public interface ISharedPerfModel : IPerfModel
    {
    }
}
