using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Sim.Core;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// A summary.json read back as ordered dotted paths: numbers (<c>ttft_s.p99</c>) and texts (<c>scene</c>; a list of
    /// texts such as <c>settings.overrides</c> becomes one text, its items joined by spaces, or <c>(none)</c>).
    /// </summary>
    public sealed class SummaryFile
    {
        SummaryFile(string path)
        {
            Path = path;
        }

        public string Path { get; }

        public List<(string Field, double Value)> Numbers { get; } = new List<(string, double)>();

        public List<(string Field, string Value)> Texts { get; } = new List<(string, string)>();

        public static SummaryFile Read(string path)
        {
            InputFile.Require(path, "summary");
            var file = new SummaryFile(path);
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new SimInputException(path, 1, "", "expected a JSON object, as sim run writes to summary.json");
                file.Flatten(document.RootElement, "");
            }
            catch (JsonException e)
            {
                throw new SimInputException(path, (int)(e.LineNumber ?? -1) + 1, "", "not JSON: " + e.Message.Split('.')[0]);
            }
            return file;
        }

        void Flatten(JsonElement element, string prefix)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string field = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        Flatten(property.Value, field);
                        break;
                    case JsonValueKind.Number:
                        Numbers.Add((field, property.Value.GetDouble()));
                        break;
                    case JsonValueKind.String:
                        Texts.Add((field, property.Value.GetString() ?? ""));
                        break;
                    case JsonValueKind.Array:
                        var items = new List<string>();
                        foreach (JsonElement item in property.Value.EnumerateArray())
                            if (item.ValueKind == JsonValueKind.String) items.Add(item.GetString() ?? "");
                        Texts.Add((field, items.Count == 0 ? "(none)" : string.Join(" ", items)));
                        break;
                }
            }
        }
    }
}
