using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sim.Core;

namespace Sim.Headless.CommandLine
{
    /// <summary>
    /// Sets a command's settings from its arguments: <c>--flag value</c> or <c>--flag=value</c>, switches alone, array
    /// flags once per use, everything else by position. Every mistake is one <see cref="SimInputException"/>.
    /// </summary>
    internal static class CommandBinder
    {
        public static CommandSettings Bind(CommandDefinition command, IReadOnlyList<string> args)
        {
            CommandSettings settings = command.Create();
            var repeated = new Dictionary<OptionDefinition, List<object>>();
            int position = 0;
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                if (arg == "--")
                {
                    if (i + 1 < args.Count) throw Problem("unexpected argument '" + InputText.Escape(args[i + 1]) + "'; " + command.Name + " takes no arguments after --");
                    break;
                }
                if (arg.Length > 1 && arg[0] == '-')
                {
                    int equals = arg.IndexOf('=');
                    string name = equals > 0 ? arg.Substring(0, equals) : arg;
                    OptionDefinition option = command.Options.FirstOrDefault(o => o.Attribute.Name == name)
                        ?? throw Problem("unknown option '" + InputText.Escape(name) + "'; did you mean " + Suggestions.Closest(name, command.KnownFlags()) + "? (--help lists the options)");
                    if (option.IsSwitch)
                    {
                        if (equals > 0) throw Problem(name + " is a switch: it takes no value");
                        option.Property.SetValue(settings, true);
                        continue;
                    }
                    string value;
                    if (equals > 0) value = arg.Substring(equals + 1);
                    else if (i + 1 < args.Count) value = args[++i];
                    else throw Problem(name + ": needs a value, " + option.Attribute.ValueName);
                    Type type = option.Property.PropertyType;
                    if (type.IsArray)
                    {
                        if (!repeated.TryGetValue(option, out List<object>? values)) repeated[option] = values = new List<object>();
                        values.Add(Convert(value, type.GetElementType()!, name));
                    }
                    else option.Property.SetValue(settings, Convert(value, type, name));
                    continue;
                }
                if (position >= command.Arguments.Count)
                    throw Problem("unexpected argument '" + InputText.Escape(arg) + "'; " + command.Name + " takes "
                        + (command.Arguments.Count == 0 ? "no arguments" : string.Join(" ", command.Arguments.Select(a => a.Attribute.Template))));
                ArgumentDefinition argument = command.Arguments[position++];
                argument.Property.SetValue(settings, Convert(arg, argument.Property.PropertyType, argument.Attribute.Template));
            }
            foreach (ArgumentDefinition argument in command.Arguments.Skip(position))
                if (argument.Attribute.Required) throw Problem(command.Name + " is missing its argument " + argument.Attribute.Template + " (--help shows its usage)");
            foreach (KeyValuePair<OptionDefinition, List<object>> option in repeated)
                option.Key.Property.SetValue(settings, ToArray(option.Key.Property.PropertyType, option.Value));
            return settings;
        }

        static SimInputException Problem(string what) => new SimInputException(CommandLineApp.Source, 0, "", what);

        /// <summary>The value as the property's type; a value out of the type names the flag and says what it takes.</summary>
        static object Convert(string value, Type type, string flag)
        {
            Type plain = Nullable.GetUnderlyingType(type) ?? type;
            if (plain == typeof(string)) return value;
            bool parsed;
            object result;
            if (plain == typeof(int)) { parsed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n); result = n; }
            else if (plain == typeof(long)) { parsed = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n); result = n; }
            else if (plain == typeof(double)) { parsed = double.TryParse(value, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double x); result = x; }
            else throw new InvalidOperationException("flag " + flag + " has a type the command line does not read: " + type.Name);
            if (!parsed)
                throw Problem(flag + ": '" + InputText.Escape(value) + "' is not a value this flag takes (a number of its kind, within its range; --help lists the flags)");
            return result;
        }

        /// <summary>A repeated flag's values as its property's array type (the element types <see cref="Convert"/> reads).</summary>
        static Array ToArray(Type arrayType, List<object> values)
        {
            Type element = arrayType.GetElementType()!;
            if (element == typeof(string)) return values.Cast<string>().ToArray();
            if (element == typeof(long)) return values.Cast<long>().ToArray();
            if (element == typeof(int)) return values.Cast<int>().ToArray();
            if (element == typeof(double)) return values.Cast<double>().ToArray();
            throw new InvalidOperationException("array flag of " + element.Name + " is not read by the command line");
        }
    }
}
