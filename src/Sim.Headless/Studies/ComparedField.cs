using System.Collections.Generic;

namespace Sim.Headless.Studies
{
    /// <summary>One numeric field of two summaries: A's value, B's, and B / A (none when A is 0 or either is missing).</summary>
    public sealed class ComparedField
    {
        public string Field { get; private set; } = "";

        public double? A { get; private set; }

        public double? B { get; private set; }

        public double? Ratio => A.HasValue && B.HasValue && A.Value != 0 ? B.Value / A.Value : (double?)null;

        /// <summary>Every numeric field of A in A's order, then those only B has, in B's order.</summary>
        public static List<ComparedField> Pair(SummaryFile a, SummaryFile b)
        {
            var rows = new List<ComparedField>();
            var index = new Dictionary<string, ComparedField>();
            foreach ((string field, double value) in a.Numbers)
            {
                var row = new ComparedField { Field = field, A = value };
                rows.Add(row);
                index[field] = row;
            }
            foreach ((string field, double value) in b.Numbers)
            {
                if (index.TryGetValue(field, out ComparedField? row))
                {
                    row.B = value;
                    continue;
                }
                rows.Add(new ComparedField { Field = field, B = value });
            }
            return rows;
        }
    }
}
