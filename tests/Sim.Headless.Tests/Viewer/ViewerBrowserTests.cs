using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Sim.Core.Host;

namespace Sim.Headless.Tests.Viewer
{
    /// <summary>The viewer page in headless Chromium: clicks its controls and checks what it shows against the host.</summary>
    public class ViewerBrowserTests
    {
        static string Text(IWebDriver browser, string id) => browser.FindElement(By.Id(id)).Text;

        static void WaitForText(IWebDriver browser, string id, string expected) =>
            new WebDriverWait(browser, TimeSpan.FromSeconds(20)).Until(b => Text(b, id) == expected);

        /// <summary>Keeps a screenshot of the page as a test artifact.</summary>
        static void Screenshot(ChromeDriver browser, string name)
        {
            string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "viewer-" + name + ".png");
            browser.GetScreenshot().SaveAsFile(path);
            TestContext.AddTestAttachment(path, "the viewer after the test's clicks");
        }

        [Test]
        public async Task StepAndBackShowTheHostsStepClockQueuesAndPages()
        {
            using ChromeDriver browser = BrowserRequirement.Start();
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            browser.Navigate().GoToUrl(viewer.Server.Url);
            WaitForText(browser, "scene", "viewed");
            for (int click = 1; click <= 3; click++)
            {
                browser.FindElement(By.Id("step")).Click();
                WaitForText(browser, "steps", click.ToString());
            }
            browser.FindElement(By.Id("n")).Clear();
            browser.FindElement(By.Id("n")).SendKeys("40");
            browser.FindElement(By.Id("step-n")).Click();
            WaitForText(browser, "steps", "43");
            viewer.Session.Read((host, _) =>
            {
                Assert.That(Text(browser, "now"), Is.EqualTo(host.NowS.ToString("F4")));
                Assert.That(Text(browser, "running-count"), Is.EqualTo(host.Running(0).Count.ToString()));
                Assert.That(browser.FindElements(By.CssSelector("#running span")).Select(e => e.Text),
                    Is.EqualTo(host.Running(0).Select(r => r.Id.ToString())));
                var pages = host.Pages(0);
                Assert.That(Text(browser, "pages-summary"), Does.StartWith(
                    $"{pages.Count} pages: {pages.Count(p => p.Use == PageUse.Owned)} held, {pages.Count(p => p.Use == PageUse.Cached)} cached, {pages.Count(p => p.Use == PageUse.Free)} free"));
                Assert.That(browser.FindElements(By.CssSelector("#batch tbody tr")).Count, Is.EqualTo(host.LastIteration(0)?.Sequences.Count ?? 0));
                return 0;
            });
            browser.FindElement(By.Id("back")).Click();
            WaitForText(browser, "steps", "42");
            Assert.That(viewer.Session.Read((host, _) => host.Steps), Is.EqualTo(42));
            Screenshot(browser, "step-back");
        }

        [Test]
        public async Task ClickingARequestFollowsIt()
        {
            using ChromeDriver browser = BrowserRequirement.Start();
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            viewer.Session.Step(30);
            browser.Navigate().GoToUrl(viewer.Server.Url);
            WaitForText(browser, "steps", "30");
            IWebElement first = browser.FindElement(By.CssSelector("#running span"));
            string id = first.Text;
            first.Click();
            new WebDriverWait(browser, TimeSpan.FromSeconds(20)).Until(b => Text(b, "followed").StartsWith("request " + id + " on replica 0"));
            long computed = viewer.Session.Read((host, _) => host.Running(0).Single(r => r.Id.ToString() == id).ComputedTokens);
            Assert.That(Text(browser, "followed"), Does.Contain(": running, " + computed + " tokens computed"));
            Assert.That(browser.FindElement(By.CssSelector("#running span.followed")).Text, Is.EqualTo(id));
            Screenshot(browser, "follow");
        }

        [Test]
        public async Task PlayRunsToTheEndAndStops()
        {
            using ChromeDriver browser = BrowserRequirement.Start();
            await using ViewerFixture viewer = await ViewerFixture.StartAsync();
            browser.Navigate().GoToUrl(viewer.Server.Url);
            WaitForText(browser, "scene", "viewed");
            browser.FindElement(By.Id("play")).Click();
            new WebDriverWait(browser, TimeSpan.FromSeconds(60)).Until(b => Text(b, "progress").EndsWith("done"));
            WaitForText(browser, "play", "play");
            Assert.That(Text(browser, "progress"), Does.StartWith(viewer.Session.Read((host, _) => host.Simulation.Log.Completed) + " completed"));
            Screenshot(browser, "done");
        }
    }
}
