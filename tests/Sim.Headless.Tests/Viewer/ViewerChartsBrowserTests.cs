using System;
using System.Drawing;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Sim.Core.Components;
using Sim.Core.Host;
using Sim.Core.Metrics;

namespace Sim.Headless.Tests.Viewer
{
    /// <summary>The viewer's time-series panels, page hover and follow, in headless Chromium at 1400x900.</summary>
    public class ViewerChartsBrowserTests
    {
        static readonly (string Id, string YLabel)[] Panels =
        {
            ("chart-batch", "sequences"), ("chart-tokens", "tokens"), ("chart-queues", "requests"), ("chart-kv", "% of pages held"),
        };

        static string Text(IWebDriver browser, string id) => browser.FindElement(By.Id(id)).Text;

        static double Number(IWebElement element, string attribute) => double.Parse(element.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

        static void Wait(IWebDriver browser, Func<IWebDriver, bool> until) => new WebDriverWait(browser, TimeSpan.FromSeconds(20)).Until(until);

        static ChromeDriver At1400x900()
        {
            ChromeDriver browser = BrowserRequirement.Start();
            browser.Manage().Window.Size = new Size(1400, 900);
            return browser;
        }

        /// <summary>Checks one panel's axes and marker: ticks from zero, units, and the marker where the ticks put <paramref name="nowS"/>.</summary>
        static void CheckPanel(ChromeDriver browser, string id, string yLabel, double nowS)
        {
            var xTicks = browser.FindElements(By.CssSelector($"#{id} .x-axis text.tick")).Select(t => (Value: Number(t, "data-value"), X: Number(t, "x"), Label: t.Text)).ToList();
            var yTicks = browser.FindElements(By.CssSelector($"#{id} .y-axis text.tick")).Select(t => (Value: Number(t, "data-value"), Y: Number(t, "y"))).ToList();
            Assert.That(xTicks.Count, Is.GreaterThanOrEqualTo(3), id + ": x ticks");
            Assert.That(yTicks.Count, Is.GreaterThanOrEqualTo(2), id + ": y ticks");
            Assert.That(xTicks[0].Value, Is.EqualTo(0), id + ": time from zero");
            Assert.That(yTicks[0].Value, Is.EqualTo(0), id + ": y from zero");
            for (int i = 1; i < xTicks.Count; i++)
            {
                Assert.That(xTicks[i].Value, Is.GreaterThan(xTicks[i - 1].Value), id);
                Assert.That(xTicks[i].X, Is.GreaterThan(xTicks[i - 1].X), id);
                Assert.That(double.Parse(xTicks[i].Label, CultureInfo.InvariantCulture), Is.EqualTo(xTicks[i].Value).Within(1e-6), id + ": tick labels say their values");
            }
            for (int i = 1; i < yTicks.Count; i++) Assert.That(yTicks[i].Y, Is.LessThan(yTicks[i - 1].Y), id + ": y grows upwards");
            Assert.That(browser.FindElement(By.CssSelector($"#{id} .x-axis .axis-label")).Text, Is.EqualTo("simulated time (s)"));
            Assert.That(browser.FindElement(By.CssSelector($"#{id} .y-axis .axis-label")).Text, Is.EqualTo(yLabel));
            // The marker: where the first and last ticks' linear scale puts the host's clock.
            IWebElement marker = browser.FindElement(By.CssSelector($"#{id} .now-marker"));
            Assert.That(Number(marker, "data-value"), Is.EqualTo(nowS).Within(1e-9), id + ": marker at the clock");
            var (first, last) = (xTicks[0], xTicks[^1]);
            double expectedX = first.X + (nowS - first.Value) / (last.Value - first.Value) * (last.X - first.X);
            Assert.That(Number(marker, "x1"), Is.EqualTo(expectedX).Within(0.5), id + ": marker pixel");
            double bottom = Convert.ToDouble(browser.ExecuteScript($"return document.getElementById('{id}').getBoundingClientRect().bottom"), CultureInfo.InvariantCulture);
            double viewport = Convert.ToDouble(browser.ExecuteScript("return window.innerHeight"), CultureInfo.InvariantCulture);
            Assert.That(bottom, Is.LessThanOrEqualTo(viewport), id + ": above the fold");
        }

        [Test]
        public async Task TimeSeriesPanelsHaveAxesUnitsAndTheCurrentStepAboveTheFold()
        {
            using ChromeDriver browser = At1400x900();
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            viewer.Session.Step(150);
            browser.Navigate().GoToUrl(viewer.Server.Url);
            Wait(browser, b => Text(b, "steps") == "150");
            double nowS = viewer.Session.Read((host, _) => host.NowS);
            foreach ((string id, string yLabel) in Panels) CheckPanel(browser, id, yLabel, nowS);
            // One point per iteration of replica 0 so far (its own counter in the ECS world), the batch axis reaching the latest batch.
            (long iterations, int lastBatch) = viewer.Session.Read((host, _) =>
                (host.Simulation.World.Get<ReplicaInfo>(host.Simulation.Cluster.Replicas[0].Entity).Iterations, host.LastIteration(0)!.Sequences.Count));
            string path = browser.FindElement(By.CssSelector("#chart-batch path.series")).GetAttribute("d")!;
            Assert.That(path.Count(c => c == 'M' || c == 'L'), Is.EqualTo(iterations));
            double topTick = browser.FindElements(By.CssSelector("#chart-batch .y-axis text.tick")).Max(t => Number(t, "data-value"));
            Assert.That(topTick, Is.GreaterThanOrEqualTo(lastBatch));
            Assert.That(browser.FindElement(By.Id("jump-time")).GetAttribute("value"), Is.EqualTo(nowS.ToString("F3", CultureInfo.InvariantCulture)), "the jump box tracks the clock");

            // Going back moves the marker left on the same axis, and the box follows.
            double spanBefore = browser.FindElements(By.CssSelector("#chart-kv .x-axis text.tick")).Max(t => Number(t, "data-value"));
            for (int click = 1; click <= 30; click++)
            {
                browser.FindElement(By.Id("back")).Click();
                Wait(browser, b => Text(b, "steps") == (150 - click).ToString(CultureInfo.InvariantCulture));
            }
            double earlierS = viewer.Session.Read((host, _) => host.NowS);
            Assert.That(earlierS, Is.LessThan(nowS));
            foreach ((string id, string yLabel) in Panels) CheckPanel(browser, id, yLabel, earlierS);
            Assert.That(browser.FindElements(By.CssSelector("#chart-kv .x-axis text.tick")).Max(t => Number(t, "data-value")), Is.EqualTo(spanBefore));
            long iterationsThen = viewer.Session.Read((host, _) => host.Simulation.World.Get<ReplicaInfo>(host.Simulation.Cluster.Replicas[0].Entity).Iterations);
            Assert.That(browser.FindElement(By.CssSelector("#chart-batch path.series")).GetAttribute("d")!.Count(c => c == 'M' || c == 'L'), Is.EqualTo(iterationsThen),
                "the iterations after the clock are forgotten, none is counted twice");
            Assert.That(browser.FindElement(By.Id("jump-time")).GetAttribute("value"), Is.EqualTo(earlierS.ToString("F3", CultureInfo.InvariantCulture)));
            string shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "viewer-charts.png");
            browser.GetScreenshot().SaveAsFile(shot);
            TestContext.AddTestAttachment(shot, "the viewer at 1400x900");
        }

        [Test]
        public async Task HoveringAPageNamesItsRequestAndBlockAndAFollowedRequestSaysWhenItFinished()
        {
            using ChromeDriver browser = At1400x900();
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            viewer.Session.Step(40);
            browser.Navigate().GoToUrl(viewer.Server.Url);
            Wait(browser, b => Text(b, "steps") == "40");
            IWebElement canvas = browser.FindElement(By.Id("pages"));
            browser.ExecuteScript("arguments[0].scrollIntoView({block: 'center'})", canvas);
            int cell = int.Parse(canvas.GetAttribute("data-cell")!, CultureInfo.InvariantCulture), perRow = int.Parse(canvas.GetAttribute("data-per-row")!, CultureInfo.InvariantCulture);
            // The last held page: a request's later block, not just its first.
            (int page, PageView view) = viewer.Session.Read((host, _) => host.Pages(0).Select((p, i) => (i, p)).Last(x => x.p.Use == PageUse.Owned));
            Assert.That(view.Block, Is.GreaterThanOrEqualTo(0));
            int x = page % perRow * cell + cell / 2 - canvas.Size.Width / 2, y = page / perRow * cell + cell / 2 - canvas.Size.Height / 2;
            new Actions(browser).MoveToElement(canvas, x, y).Perform();
            string expected = $"page {page}: request {view.Owner}, block {view.Block}";
            Wait(browser, b => Text(b, "page-tip") == expected);

            // Clicking it follows the request; once the run has finished it, the page says how it ended.
            new Actions(browser).MoveToElement(canvas, x, y).Click().Perform();
            Wait(browser, b => Text(b, "followed").StartsWith("request " + view.Owner + " on replica 0"));
            viewer.Session.Step(100000);
            browser.FindElement(By.Id("step")).Click();
            RequestRecord record = viewer.Session.Read((host, _) => host.Simulation.Log[view.Owner]);
            Assert.That(record.Outcome, Is.EqualTo(RequestOutcome.Completed));
            Wait(browser, b => Text(b, "followed") == $"request {view.Owner} finished on replica 0 at {record.FinishS:F4} s: TTFT {record.TtftS:F4} s, " +
                $"end to end {record.E2eS:F4} s, {record.OutputTokens} tokens, {record.Preemptions} preemptions");
        }
    }
}
