using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MemoryPack;
using MemoryPack.Formatters;

namespace Sim.Core.Snapshots
{
    /// <summary>
    /// Saves and restores one object's own data fields, found by reflection: numbers, enums, strings, value types
    /// without references (entities, tuples, records of numbers), arrays and lists of those. Fields that refer to
    /// other objects are left alone: they are either fixed at construction (a world built from the same scene has
    /// the same ones) or saved as objects of their own by their owner, in a fixed order. Arrays of arrays are left
    /// alone too: in this codebase they cache chunk columns, which the world restores in place.
    /// Arrays and lists are refilled in place where they keep their length, so references to them stay valid.
    /// </summary>
    internal static class StateFields
    {
        static readonly ConcurrentDictionary<Type, FieldInfo[]> FieldsByType = new ConcurrentDictionary<Type, FieldInfo[]>();

        public static void Save(object target, SnapshotWriter writer)
        {
            foreach (FieldInfo field in DataFields(target.GetType()))
                writer.WriteObject(field.FieldType, field.GetValue(target));
        }

        public static void Load(object target, SnapshotReader reader)
        {
            foreach (FieldInfo field in DataFields(target.GetType()))
            {
                object? value = reader.ReadObject(field.FieldType);
                object? current = field.GetValue(target);
                if (current is Array array && value is Array loaded && array.Length == loaded.Length)
                    Array.Copy(loaded, array, loaded.Length);
                else if (current is IList list && value is IList items && !(current is Array))
                {
                    list.Clear();
                    foreach (object? item in items) list.Add(item);
                }
                else
                    field.SetValue(target, value);
            }
        }

        /// <summary>The type's instance fields that hold data, in declaration order (the order is the snapshot's layout).</summary>
        static FieldInfo[] DataFields(Type type) => FieldsByType.GetOrAdd(type, t =>
            t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => IsData(f.FieldType))
                .OrderBy(f => f.MetadataToken)
                .ToArray());

        static bool IsData(Type type)
        {
            if (type == typeof(string) || IsPlainValue(type)) return Registered(type);
            if (type.IsArray) return type.GetArrayRank() == 1 && IsPlainValue(type.GetElementType()!) && Registered(type.GetElementType()!);
            return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && IsPlainValue(type.GetGenericArguments()[0])
                && Registered(type.GetGenericArguments()[0]);
        }

        /// <summary>
        /// MemoryPack finds formatters for reference-free structs only when called with the type as a generic argument;
        /// fields are read by reflection, so each struct's formatters (the value, arrays and lists of it) are registered
        /// here first.
        /// </summary>
        static bool Registered(Type type)
        {
            if (type.IsPrimitive || type.IsEnum || type == typeof(string)) return true;
            typeof(StateFields).GetMethod(nameof(RegisterPlain), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, null);
            return true;
        }

        static void RegisterPlain<T>() where T : unmanaged
        {
            if (!MemoryPackFormatterProvider.IsRegistered<T>()) MemoryPackFormatterProvider.Register(new UnmanagedFormatter<T>());
            if (!MemoryPackFormatterProvider.IsRegistered<T[]>()) MemoryPackFormatterProvider.Register(new UnmanagedArrayFormatter<T>());
            if (!MemoryPackFormatterProvider.IsRegistered<List<T>>()) MemoryPackFormatterProvider.Register(new ListFormatter<T>());
        }

        /// <summary>A value type holding no references, all the way down.</summary>
        static bool IsPlainValue(Type type)
        {
            if (type.IsPrimitive || type.IsEnum) return true;
            if (!type.IsValueType || type.IsPointer) return false;
            return type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).All(f => IsPlainValue(f.FieldType));
        }
    }
}
