// Compile-only stand-ins for the UnityEditor types the package's editor window uses (see UnityEngine.cs).
using System;
using UnityEngine;

namespace UnityEditor
{
    public class EditorWindow : ScriptableObject
    {
        public Rect position { get; set; }

        public static T GetWindow<T>(string title) where T : EditorWindow, new() => new T();

        public void Repaint() { }
    }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class MenuItem : Attribute
    {
        public MenuItem(string itemName) { }
    }

    public enum MessageType
    {
        None,
        Info,
        Warning,
        Error,
    }

    public static class EditorGUILayout
    {
        public static string TextField(string label, string text) => text;
        public static void HelpBox(string message, MessageType type) { }
        public static float Slider(string label, float value, float leftValue, float rightValue) => value;
        public static int IntSlider(string label, int value, int leftValue, int rightValue) => value;
    }

    public static class EditorGUI
    {
        public static void DrawRect(Rect rect, Color color) { }
    }
}
