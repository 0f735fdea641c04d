using System;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// CAKE's split of the cache across layers (Qin et al., ICLR 2025, arXiv 2503.12491, Sec. 4; antgroup/cakekv
    /// <c>cake_cache.py</c> and <c>utils.adjust_budgets</c>): the layers seen so far share the whole model's pool beyond the
    /// observation windows in proportion to their preferences, each capped at what it holds, the excess and the rounding
    /// shared out again as <c>adjust_budgets</c> does it.
    /// </summary>
    internal static class CakeAllocation
    {
        /// <summary>
        /// Budgets beyond the window of the first <paramref name="layers"/> layers into <paramref name="budgets"/>:
        /// preference / Σ preference × <paramref name="pool"/>, truncated, then <c>adjust_budgets</c> against
        /// <paramref name="room"/> (the positions before the window), then each clamped to the room.
        /// </summary>
        public static void Split(ReadOnlySpan<double> preference, int layers, int pool, int room, Span<int> budgets)
        {
            double total = 0;
            for (int layer = 0; layer < layers; layer++) total += preference[layer];
            for (int layer = 0; layer < layers; layer++)
                budgets[layer] = (int)(total > 0 ? preference[layer] / total * pool : (double)pool / layers);
            Adjust(budgets.Slice(0, layers), pool, room);
            for (int layer = 0; layer < layers; layer++) budgets[layer] = Math.Min(budgets[layer], room);
        }

        /// <summary><c>adjust_budgets</c>: caps every budget at the room, spreads the excess over the uncapped, then spreads what the total still misses (or exceeds).</summary>
        static void Adjust(Span<int> budgets, int pool, int room)
        {
            int excess = 0;
            for (int i = 0; i < budgets.Length; i++)
            {
                excess += Math.Max(budgets[i] - room, 0);
                budgets[i] = Math.Min(budgets[i], room);
            }
            if (excess > 0) Spread(budgets, excess, room, grow: true);
            int sum = 0;
            foreach (int budget in budgets) sum += budget;
            if (sum != pool) Spread(budgets, Math.Abs(pool - sum), room, grow: pool > sum);
        }

        /// <summary>Adds (or takes) <paramref name="amount"/> evenly over the budgets below the room (or above 1), the remainder one each to the first of them.</summary>
        static void Spread(Span<int> budgets, int amount, int room, bool grow)
        {
            int open = 0;
            foreach (int budget in budgets) if (grow ? budget < room : budget > 1) open++;
            if (open == 0) return;
            int each = amount / open, remainder = amount % open, sign = grow ? 1 : -1;
            for (int i = 0; i < budgets.Length; i++)
            {
                if (!(grow ? budgets[i] < room : budgets[i] > 1)) continue;
                budgets[i] += sign * (each + (remainder > 0 ? 1 : 0));
                if (remainder > 0) remainder--;
            }
        }
    }
}
