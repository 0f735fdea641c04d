using System;

namespace Sim.Core.Ecs
{
    /// <summary>
    /// Structural changes recorded during a query and applied later, in recorded order, by <see cref="Playback"/>.
    /// Values live in per-kind stores that are reused, so steady-state recording and playback allocate nothing.
    /// </summary>
    public sealed class CommandBuffer
    {
        /// <summary>One recorded change: a null store means Destroy; otherwise the store applies its value at Slot.</summary>
        readonly struct Command
        {
            public Command(CommandStore? store, int slot, Entity entity)
            {
                Store = store;
                Slot = slot;
                Entity = entity;
            }

            public CommandStore? Store { get; }

            public int Slot { get; }

            public Entity Entity { get; }
        }

        Command[] _commands = new Command[16];
        CommandStore?[] _stores = new CommandStore?[8];

        /// <summary>Commands recorded since the last playback.</summary>
        public int Count { get; private set; }

        public void Create<T0>(in T0 c0)
        {
            CreateStore<T0> store = Store<CreateStore<T0>>();
            Push(store, store.Record(c0), Entity.Null);
        }

        public void Create<T0, T1>(in T0 c0, in T1 c1)
        {
            CreateStore<T0, T1> store = Store<CreateStore<T0, T1>>();
            Push(store, store.Record(c0, c1), Entity.Null);
        }

        public void Create<T0, T1, T2>(in T0 c0, in T1 c1, in T2 c2)
        {
            CreateStore<T0, T1, T2> store = Store<CreateStore<T0, T1, T2>>();
            Push(store, store.Record(c0, c1, c2), Entity.Null);
        }

        public void Destroy(Entity entity) => Push(null, 0, entity);

        public void Add<T>(Entity entity, in T value)
        {
            AddStore<T> store = Store<AddStore<T>>();
            Push(store, store.Record(value), entity);
        }

        public void Remove<T>(Entity entity) => Push(Store<RemoveStore<T>>(), 0, entity);

        public void Set<T>(Entity entity, in T value)
        {
            SetStore<T> store = Store<SetStore<T>>();
            Push(store, store.Record(value), entity);
        }

        /// <summary>
        /// Applies every command in recorded order, then empties the buffer. A command on a stale entity throws as the
        /// world would; the buffer is emptied anyway, and the commands before the failing one stay applied.
        /// </summary>
        public void Playback(World world)
        {
            if (world == null) throw new ArgumentNullException(nameof(world));
            if (Count == 0) return; // nothing recorded, so no store holds a value: the usual case, played back every step
            try
            {
                for (int i = 0; i < Count; i++)
                {
                    Command command = _commands[i];
                    if (command.Store == null) world.Destroy(command.Entity);
                    else command.Store.Apply(world, command.Entity, command.Slot);
                }
            }
            finally
            {
                Clear();
            }
        }

        /// <summary>Drops every recorded command without applying it.</summary>
        public void Clear()
        {
            Array.Clear(_commands, 0, Count);
            Count = 0;
            foreach (CommandStore? store in _stores) store?.Clear();
        }

        void Push(CommandStore? store, int slot, Entity entity)
        {
            if (Count == _commands.Length) Array.Resize(ref _commands, _commands.Length * 2);
            _commands[Count++] = new Command(store, slot, entity);
        }

        TStore Store<TStore>() where TStore : CommandStore, new()
        {
            int index = CommandStoreSlot<TStore>.Index;
            if (index >= _stores.Length) Array.Resize(ref _stores, Math.Max(index + 1, _stores.Length * 2));
            CommandStore? store = _stores[index];
            if (store == null)
            {
                store = new TStore();
                _stores[index] = store;
            }
            return (TStore)store;
        }
    }
}
