namespace Sim.Core.Components
{
    /// <summary>
    /// Tag of a request that arrived this step and awaits routing: <c>ArriveSystem</c> adds it, <c>RouteSystem</c> visits
    /// the tagged requests in arrival order and removes it.
    /// </summary>
    public struct Arrived
    {
    }
}
