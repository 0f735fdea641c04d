namespace Sim.Core.Components
{
    /// <summary>A request's KV pages: a chain through <see cref="KvPage.NextOwned"/>, in token order.</summary>
    public struct KvPageTable
    {
        /// <summary>Physical index of the first page; -1 when none.</summary>
        public int FirstPage;

        public int LastPage;

        public int PageCount;
    }
}
