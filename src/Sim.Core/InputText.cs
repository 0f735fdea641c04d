using System.Globalization;
using System.Text;

namespace Sim.Core
{
    /// <summary>
    /// Makes text read from user files safe to print on a terminal: control characters (escape sequences, carriage
    /// returns, C1 codes) and bidirectional overrides become visible escapes, so a hostile scene or trace cannot
    /// rewrite the user's screen through an error line.
    /// </summary>
    public static class InputText
    {
        public static string Escape(string text)
        {
            int i = 0;
            while (i < text.Length && !NeedsEscape(text[i])) i++;
            if (i == text.Length) return text;
            var escaped = new StringBuilder(text.Length + 8);
            escaped.Append(text, 0, i);
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (!NeedsEscape(c)) escaped.Append(c);
                else if (c == '\n') escaped.Append("\\n");
                else if (c == '\r') escaped.Append("\\r");
                else if (c == '\t') escaped.Append("\\t");
                else if (c <= 0xFF) escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                else escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            return escaped.ToString();
        }

        static bool NeedsEscape(char c) =>
            char.IsControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u2028' || c == '\u2029';
    }
}
