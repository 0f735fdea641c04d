using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Sim.Core;
using Spectre.Console.Cli;

namespace Sim.Headless.Commands
{
    /// <summary>
    /// Refuses any flag a command does not define, for every command at once (it is the app's interceptor): the
    /// parser sets unknown flags aside, so a misspelt <c>--request 5</c> would otherwise run the whole workload.
    /// The message names the closest known flag.
    /// </summary>
    internal sealed class StrictFlags : ICommandInterceptor
    {
        public const string Source = "<command line>";

        public void Intercept(CommandContext context, CommandSettings settings)
        {
            foreach (IGrouping<string, string?> flag in context.Remaining.Parsed)
                throw Unknown(flag.Key, settings.GetType());
            if (context.Remaining.Raw.Count > 0)
                throw new SimInputException(Source, 0, "", "unexpected argument '" + InputText.Escape(context.Remaining.Raw[0]) + "'; " + context.Name + " takes no arguments after --");
        }

        public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
        {
        }

        static SimInputException Unknown(string given, Type settingsType)
        {
            string shown = given.StartsWith("-", StringComparison.Ordinal) ? given : (given.Length == 1 ? "-" : "--") + given;
            string closest = Closest(shown, KnownFlags(settingsType));
            return new SimInputException(Source, 0, "", "unknown option '" + InputText.Escape(shown) + "'; did you mean " + closest + "? (--help lists the options)");
        }

        /// <summary>Every long and short name the settings type declares, with dashes, plus --help.</summary>
        public static List<string> KnownFlags(Type settingsType)
        {
            var flags = new List<string> { "--help" };
            foreach (PropertyInfo property in settingsType.GetProperties())
            {
                CommandOptionAttribute? option = property.GetCustomAttribute<CommandOptionAttribute>();
                if (option == null) continue;
                flags.AddRange(option.LongNames.Select(name => "--" + name));
                flags.AddRange(option.ShortNames.Select(name => "-" + name));
            }
            return flags;
        }

        /// <summary>The known flag with the fewest edits from <paramref name="given"/> (underscores read as dashes); ties go to the first declared.</summary>
        public static string Closest(string given, IReadOnlyList<string> known)
        {
            string normalized = given.Replace('_', '-').ToLowerInvariant();
            string best = known[0];
            int bestDistance = int.MaxValue;
            foreach (string flag in known)
            {
                int distance = EditDistance(normalized, flag);
                if (distance < bestDistance)
                {
                    best = flag;
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
