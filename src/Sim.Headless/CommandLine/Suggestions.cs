using System;
using System.Collections.Generic;

namespace Sim.Headless.CommandLine
{
    /// <summary>The "did you mean" of an unknown flag or command: the known name with the fewest edits.</summary>
    internal static class Suggestions
    {
        /// <summary>The known name with the fewest edits from <paramref name="given"/> (underscores read as dashes); ties go to the first.</summary>
        public static string Closest(string given, IReadOnlyList<string> known)
        {
            string normalized = given.Replace('_', '-').ToLowerInvariant();
            string best = known[0];
            int bestDistance = int.MaxValue;
            foreach (string name in known)
            {
                int distance = EditDistance(normalized, name);
                if (distance < bestDistance)
                {
                    best = name;
                    bestDistance = distance;
                }
            }
            return best;
        }

        /// <summary>Levenshtein distance: insertions, deletions and substitutions of one character each cost 1.</summary>
        public static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                (previous, current) = (current, previous);
            }
            return previous[b.Length];
        }
    }
}
