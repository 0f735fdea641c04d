using System;

namespace Sim.Core.Policies.Orders
{
    /// <summary>The admission orders: one row each, in the order of <see cref="AdmissionOrderKind"/>; a new order is one key file and one row.</summary>
    public static class AdmissionOrders
    {
        static readonly IAdmissionKey[] Keys =
        {
            new FcfsKey(),
            new ShortestPromptFirstKey(),
            new PriorityKey(),
        };

        public static readonly string[] Names = Array.ConvertAll(Keys, key => key.Name);

        public static IAdmissionKey Key(this AdmissionOrderKind kind) => Keys[(int)kind];

        /// <summary>The order named <paramref name="name"/>; the scene loader has checked it is one of <see cref="Names"/>.</summary>
        public static AdmissionOrderKind Parse(string name)
        {
            int id = Array.IndexOf(Names, name);
            if (id < 0) throw new ArgumentException("no admission order is named " + name + "; the orders are " + string.Join(", ", Names), nameof(name));
            return (AdmissionOrderKind)id;
        }
    }
}
