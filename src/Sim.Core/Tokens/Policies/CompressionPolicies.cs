using System;

namespace Sim.Core.Tokens.Policies
{
    /// <summary>
    /// The token-compression policies: one row each, in id order; the id is the policy number shaders/token_score.comp
    /// switches on. A new policy is one rule file, one row here, one <see cref="CompressionPolicy"/> member and one
    /// shader case.
    /// </summary>
    public static class CompressionPolicies
    {
        static readonly TokenRule[] Rules =
        {
            new FullRule(),
            new WindowRule(),
            new StreamingRule(),
            new H2oRule(),
            new SnapKvRule(),
            new LazyRule(),
            new CakeRule(),
            new MikvRule(),
        };

        /// <summary>The scene names, in id order.</summary>
        public static readonly string[] Names = Array.ConvertAll(Rules, rule => rule.Name);

        /// <summary>Every registered policy, in id order.</summary>
        public static int Count => Rules.Length;

        public static TokenRule Rule(this CompressionPolicy policy) => Rules[(int)policy];

        public static string NameOf(this CompressionPolicy policy) => Rules[(int)policy].Name;

        /// <summary>The policy named <paramref name="name"/>; the scene loader has checked it is one of <see cref="Names"/>.</summary>
        public static CompressionPolicy Parse(string name)
        {
            int id = Array.IndexOf(Names, name);
            if (id < 0) throw new ArgumentException("no compression policy is named " + name + "; the policies are " + string.Join(", ", Names), nameof(name));
            return (CompressionPolicy)id;
        }
    }
}
