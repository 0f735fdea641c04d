namespace Sim.Core.Components
{
    /// <summary>A request's KV pages in token order: physical page indices, in an array rented from its replica's pool.</summary>
    public struct KvPageTable
    {
        public int[] Pages;

        public int PageCount;
    }
}
