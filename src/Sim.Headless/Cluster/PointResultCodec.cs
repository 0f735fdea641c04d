using System.Text.Json;
using System.Text.Json.Serialization;
using Sim.Core.Metrics;
using Sim.Headless.Studies;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// A <see cref="PointResult"/> as bytes for the wire and the resume folder. JSON writes each double in its shortest
    /// round-trip form, so the client's sweep.csv and plots get the very values the worker computed.
    /// </summary>
    public static class PointResultCodec
    {
        public static byte[] Encode(PointResult result) => JsonSerializer.SerializeToUtf8Bytes(new Wire
        {
            Summary = result.Summary,
            TtftS = result.TtftS,
            TbtPercentilesS = result.TbtPercentilesS,
            TimelineS = result.TimelineS,
            KvUtilization = result.KvUtilization,
        }, PointResultJson.Default.Wire);

        public static PointResult Decode(byte[] bytes)
        {
            Wire wire = JsonSerializer.Deserialize(bytes, PointResultJson.Default.Wire) ?? throw new JsonException("empty point result");
            return new PointResult
            {
                Summary = wire.Summary,
                TtftS = wire.TtftS,
                TbtPercentilesS = wire.TbtPercentilesS,
                TimelineS = wire.TimelineS,
                KvUtilization = wire.KvUtilization,
            };
        }

        internal sealed class Wire
        {
            public RunSummary Summary { get; set; } = null!;
            public double[] TtftS { get; set; } = null!;
            public double[] TbtPercentilesS { get; set; } = null!;
            public double[] TimelineS { get; set; } = null!;
            public double[] KvUtilization { get; set; } = null!;
        }
    }

    /// <summary>
    /// The wire's JSON contract, generated at compile time (no reflection, so it also builds ahead of time): fields included,
    /// since Distribution's figures are fields, and NaN allowed, for the percentiles of an empty distribution.
    /// </summary>
    [JsonSourceGenerationOptions(IncludeFields = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    [JsonSerializable(typeof(PointResultCodec.Wire))]
    internal sealed partial class PointResultJson : JsonSerializerContext
    {
    }
}
