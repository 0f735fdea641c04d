using ScottPlot;

namespace Sim.Headless.Studies
{
    /// <summary>
    /// How the sweep plots tell series apart: sixteen colours that differ on a white page (Tableau's ten, then six
    /// more picked so every pair is at least 27 apart in CIELAB ΔE*76, the ten's own closest pair); from the 17th
    /// series on the colours come round again with a dashed, then a dotted line.
    /// </summary>
    internal static class SeriesStyle
    {
        static readonly Color[] Colours =
        {
            Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
            Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
            Color.FromHex("#bcbd22"), Color.FromHex("#17becf"), Color.FromHex("#0000e0"), Color.FromHex("#e000e0"),
            Color.FromHex("#204000"), Color.FromHex("#600040"), Color.FromHex("#000000"), Color.FromHex("#c09000"),
        };

        /// <summary>Series that get a colour of their own (and the most a legend lists).</summary>
        public static int Distinct => Colours.Length;

        public static Color Colour(int series) => Colours[series % Colours.Length];

        public static LinePattern Pattern(int series) => (series / Colours.Length % 3) switch
        {
            0 => LinePattern.Solid,
            1 => LinePattern.Dashed,
            _ => LinePattern.Dotted,
        };
    }
}
