using System;

namespace Sim.Headless.CommandLine
{
    /// <summary>A positional argument: <c>&lt;NAME&gt;</c> is required, <c>[NAME]</c> optional.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    public sealed class CommandArgumentAttribute : Attribute
    {
        public CommandArgumentAttribute(int position, string template)
        {
            Position = position;
            Template = template;
            Required = template.StartsWith("<", StringComparison.Ordinal);
            Name = template.Trim('<', '>', '[', ']');
        }

        public int Position { get; }

        /// <summary>As shown in usage lines, e.g. <c>&lt;SCENE&gt;</c>.</summary>
        public string Template { get; }

        /// <summary>Without its brackets, e.g. <c>SCENE</c>.</summary>
        public string Name { get; }

        public bool Required { get; }
    }
}
