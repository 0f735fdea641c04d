using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using ScottPlot;
using ScottPlot.Panels;
using Sim.Headless.Studies;

namespace Sim.Headless.Tests
{
    /// <summary>The sweep plots drawn from a grid of sixteen points: legends off the data, sixteen colours, axes from zero.</summary>
    public class SweepPlotsTests
    {
        static List<(string FileName, Plot Plot)> _plots = null!;
        static string _dir = "";

        [OneTimeSetUp]
        public void SweepSixteenPoints()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "plot-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            var trace = new StringBuilder("arrived_at,num_prefill_tokens,num_decode_tokens\n");
            for (int i = 0; i < 40; i++) trace.Append((i * 0.2).ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(300 + 97 * i % 900).Append(',').Append(10 + 31 * i % 150).Append('\n');
            File.WriteAllText(Path.Combine(_dir, "trace.csv"), trace.ToString());
            File.WriteAllText(Path.Combine(_dir, "scene.yaml"), "name: s\nmodel: llama-2-7b\nhardware: a100-80g\nkv: { capacity_tokens: 8000 }\nworkload:\n  trace: trace.csv\n");
            string scales = string.Join(", ", Enumerable.Range(1, 16).Select(i => (i / 8.0).ToString("R", CultureInfo.InvariantCulture)));
            string sweepPath = Path.Combine(_dir, "sweep.yaml");
            File.WriteAllText(sweepPath, "scene: scene.yaml\ngrid:\n  workload.time_scale: [" + scales + "]\n  cluster.replicas: [1]\n");
            SweepFile sweep = SweepFile.Read(sweepPath);
            List<SweepPoint> points = SweepPoint.AllOf(sweep);
            var results = SweepScenes.Load(sweep, points).Select(scene => PointResult.Run(scene)).ToList();
            _plots = SweepPlots.Build(sweep, points, results);
            foreach ((_, Plot plot) in _plots) plot.GetImageBytes(SweepPlots.Width, SweepPlots.Height, ImageFormat.Png);
        }

        [OneTimeTearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        static Plot Named(string fileName) => _plots.Single(p => p.FileName == fileName).Plot;

        static IEnumerable<Coordinates> PlottedPoints(Plot plot) =>
            plot.GetPlottables<ScottPlot.Plottables.Scatter>().SelectMany(s => s.Data.GetScatterPoints());

        [TestCase("ttft_vs_throughput.png")]
        [TestCase("tbt_vs_throughput.png")]
        [TestCase("ttft_cdf.png")]
        [TestCase("tbt_cdf.png")]
        [TestCase("kv_utilization.png")]
        public void TheLegendBoxOverlapsNoPlottedPoint(string fileName)
        {
            Plot plot = Named(fileName);
            RenderDetails render = plot.RenderManager.LastRender;
            LegendPanel legendPanel = plot.Axes.GetPanels().OfType<LegendPanel>().Single();
            // A right-edge panel spans the data area's height, its offset past the data area's right edge, its size wide.
            Assert.That(legendPanel.Edge, Is.EqualTo(Edge.Right));
            float left = render.DataRect.Right + render.Layout.PanelOffsets[legendPanel];
            var legend = new PixelRect(left, left + render.Layout.PanelSizes[legendPanel], render.DataRect.Bottom, render.DataRect.Top);
            Assert.That(legend.Width, Is.GreaterThan(20), "the legend has room for its text");
            Assert.That(legend.Left, Is.LessThanOrEqualTo(SweepPlots.Width), "the legend is inside the figure");
            // A marker is drawn around its point: keep 5 px clear of the box.
            var clear = new PixelRect(legend.Left - 5, legend.Right + 5, legend.Bottom + 5, legend.Top - 5);
            int checkedPoints = 0;
            foreach (Coordinates point in PlottedPoints(plot))
            {
                Pixel pixel = plot.GetPixel(point);
                Assert.That(render.DataRect.Contains(pixel), Is.True, fileName + ": " + point + " is inside the data area");
                Assert.That(clear.Contains(pixel), Is.False, fileName + ": " + point + " is under the legend");
                checkedPoints++;
            }
            Assert.That(checkedPoints, Is.GreaterThanOrEqualTo(16), "every series was checked");
        }

        [TestCase("ttft_vs_throughput.png")]
        [TestCase("ttft_cdf.png")]
        [TestCase("kv_utilization.png")]
        public void NoTwoOfSixteenSeriesShareAColour(string fileName)
        {
            Color[] colours = Named(fileName).GetPlottables<ScottPlot.Plottables.Scatter>().Select(s => s.Color).ToArray();
            Assert.That(colours, Has.Length.EqualTo(16));
            for (int i = 0; i < 16; i++)
                for (int j = i + 1; j < 16; j++)
                    Assert.That(DeltaE76(colours[i], colours[j]), Is.GreaterThan(25), "series " + i + " and " + j + " look alike");
        }

        [Test]
        public void AxesOfQuantitiesThatCannotBeNegativeStartAtZero()
        {
            foreach ((string fileName, Plot plot) in _plots)
            {
                AxisLimits limits = plot.Axes.GetLimits();
                Assert.That(limits.Bottom, Is.EqualTo(0), fileName);
                if (fileName != "ttft_p99_by_point.png") Assert.That(limits.Left, Is.EqualTo(0), fileName);
            }
            Assert.That(Named("tbt_cdf.png").Axes.Left.Label.Text, Is.EqualTo("fraction of token gaps"));
            Assert.That(Named("ttft_cdf.png").Axes.Left.Label.Text, Is.EqualTo("fraction of completed requests"));
        }

        /// <summary>The CIELAB distance of two sRGB colours (D65), computed here from the CIE formulas.</summary>
        static double DeltaE76(Color a, Color b)
        {
            (double L, double A, double B) x = Lab(a), y = Lab(b);
            return Math.Sqrt((x.L - y.L) * (x.L - y.L) + (x.A - y.A) * (x.A - y.A) + (x.B - y.B) * (x.B - y.B));
        }

        static (double L, double A, double B) Lab(Color c)
        {
            static double Linear(byte v) { double s = v / 255.0; return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4); }
            static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
            double r = Linear(c.R), g = Linear(c.G), b = Linear(c.B);
            double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b, z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
            return (116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
        }
    }
}
