using System;

namespace Sim.Headless.CommandLine
{
    /// <summary>
    /// A flag, from its template: <c>--name &lt;VALUE&gt;</c> takes a value (repeatable when the property is an array),
    /// <c>--name</c> alone is a switch (a bool property).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class CommandOptionAttribute : Attribute
    {
        public CommandOptionAttribute(string template)
        {
            Template = template;
            string[] parts = template.Split(' ', 2);
            Name = parts[0];
            ValueName = parts.Length > 1 ? parts[1] : null;
        }

        /// <summary>The help line's left column, e.g. <c>--trace &lt;PATH&gt;</c>.</summary>
        public string Template { get; }

        /// <summary>The flag with its dashes, e.g. <c>--trace</c>.</summary>
        public string Name { get; }

        /// <summary>The value's placeholder, e.g. <c>&lt;PATH&gt;</c>; null for a switch.</summary>
        public string? ValueName { get; }
    }
}
