using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;

namespace Sim.Headless.CommandLine
{
    /// <summary>One flag of a command: its attribute, the property it sets and its help text.</summary>
    internal sealed record OptionDefinition(CommandOptionAttribute Attribute, PropertyInfo Property, string Description)
    {
        public bool IsSwitch => Attribute.ValueName == null;
    }

    /// <summary>One positional argument of a command.</summary>
    internal sealed record ArgumentDefinition(CommandArgumentAttribute Attribute, PropertyInfo Property, string Description);

    /// <summary>
    /// A command's name, description, flags and arguments, read from its settings type, and how to run it. The settings
    /// type is annotated for the trimmer, so reading its properties works in the ahead-of-time compiled binary too.
    /// </summary>
    internal sealed class CommandDefinition : ICommandNode
    {
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
        readonly Type _settingsType;
        // Read from the settings type's attributes on first use: a command line runs one command, and reading another's
        // would cost milliseconds of reflection in the native binary for nothing.
        IReadOnlyList<OptionDefinition>? _options;
        IReadOnlyList<ArgumentDefinition>? _arguments;

        CommandDefinition(string name, string description, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type settingsType, Func<CommandSettings> create, Func<CommandSettings, int> execute)
        {
            Name = name;
            Description = description;
            Create = create;
            Execute = execute;
            _settingsType = settingsType;
        }

        public static CommandDefinition Of<TCommand, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TSettings>(string name, string description)
            where TCommand : Command<TSettings>, new()
            where TSettings : CommandSettings, new() =>
            new CommandDefinition(name, description, typeof(TSettings), () => new TSettings(), settings => new TCommand().Execute((TSettings)settings));

        public string Name { get; }

        public string Description { get; }

        public IReadOnlyList<OptionDefinition> Options
        {
            get
            {
                ReadSettingsType();
                return _options!;
            }
        }

        public IReadOnlyList<ArgumentDefinition> Arguments
        {
            get
            {
                ReadSettingsType();
                return _arguments!;
            }
        }

        void ReadSettingsType()
        {
            if (_options != null) return;
            var options = new List<OptionDefinition>();
            var arguments = new List<ArgumentDefinition>();
            foreach (PropertyInfo property in DeclarationOrder(_settingsType))
            {
                string text = HelpText(property.GetCustomAttribute<DescriptionAttribute>()?.Description);
                if (property.GetCustomAttribute<CommandOptionAttribute>() is { } option) options.Add(new OptionDefinition(option, property, text));
                if (property.GetCustomAttribute<CommandArgumentAttribute>() is { } argument) arguments.Add(new ArgumentDefinition(argument, property, text));
            }
            _arguments = arguments.OrderBy(a => a.Attribute.Position).ToList();
            _options = options;
        }

        public Func<CommandSettings> Create { get; }

        public Func<CommandSettings, int> Execute { get; }

        /// <summary>The command and its arguments as a usage line shows them, e.g. <c>run &lt;SCENE&gt;</c>.</summary>
        public string Synopsis => string.Join(" ", new[] { Name }.Concat(Arguments.Select(a => a.Attribute.Template)));

        /// <summary>Every flag the command takes, with dashes, <c>--help</c> first (the suggestions of an unknown flag).</summary>
        public List<string> KnownFlags() => new[] { "--help" }.Concat(Options.Select(o => o.Attribute.Name)).ToList();

        /// <summary>
        /// Base classes' properties before the derived class's (the shared flags of scene commands come first), each class's
        /// in the order it declares them.
        /// </summary>
        static IEnumerable<PropertyInfo> DeclarationOrder([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type settingsType) =>
            settingsType.GetProperties().Select((property, index) => (property, index))
                .OrderBy(p => Depth(p.property.DeclaringType!)).ThenBy(p => p.index).Select(p => p.property);

        static int Depth(Type type)
        {
            int depth = 0;
            for (Type? t = type.BaseType; t != null; t = t.BaseType) depth++;
            return depth;
        }

        /// <summary>Help lines are phrases: the description without its closing full stop.</summary>
        static string HelpText(string? description) => (description ?? "").TrimEnd('.');
    }
}
