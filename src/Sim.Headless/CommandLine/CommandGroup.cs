using System.Collections.Generic;
using System.Linq;

namespace Sim.Headless.CommandLine
{
    /// <summary>Commands under one name: the whole of <c>sim</c>, or a branch such as <c>sim trace</c>.</summary>
    internal sealed class CommandGroup : ICommandNode
    {
        readonly List<ICommandNode> _children = new();

        public CommandGroup(string name, string description)
        {
            Name = name;
            Description = description;
        }

        public string Name { get; }

        public string Description { get; }

        public string Synopsis => Name;

        /// <summary>In the order they were added, which is the order help lists them in.</summary>
        public IReadOnlyList<ICommandNode> Children => _children;

        public CommandGroup Add(ICommandNode child)
        {
            _children.Add(child);
            return this;
        }

        public ICommandNode? Find(string name) => _children.FirstOrDefault(c => c.Name == name);
    }
}
