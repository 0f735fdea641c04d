// Compile-only stand-ins for the few UnityEngine types the package uses, with the signatures Unity documents,
// so CI compiles the package without Unity installed. They do nothing; Unity's own assemblies replace them.
namespace UnityEngine
{
    public struct Color
    {
        public float r, g, b, a;

        public Color(float r, float g, float b)
        {
            this.r = r;
            this.g = g;
            this.b = b;
            a = 1;
        }
    }

    public struct Rect
    {
        public Rect(float x, float y, float width, float height)
        {
            this.x = x;
            this.y = y;
            this.width = width;
            this.height = height;
        }

        public float x { get; set; }
        public float y { get; set; }
        public float width { get; set; }
        public float height { get; set; }
    }

    public class Object
    {
    }

    public class ScriptableObject : Object
    {
    }

    public static class GUILayout
    {
        public static void BeginHorizontal() { }
        public static void EndHorizontal() { }
        public static bool Button(string text) => false;
        public static void Label(string text) { }
    }

    public static class GUILayoutUtility
    {
        public static Rect GetRect(float width, float height) => new Rect(0, 0, width, height);
    }
}
