using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Versioning;
using NUnit.Framework;
using Sim.Core.Host;
using Sim.Unity;

namespace Sim.Embedding.Tests
{
    public class SimulationDriverTests
    {
        const string Scene = "name: u\nmodel: llama-2-7b\nhardware: a100-80g\ncluster: { replicas: 2 }\nkv: { capacity_tokens: 4000 }\n" +
            "workload:\n  synthetic: { requests: 80, arrival: poisson, rate_per_s: 40, prompt_tokens: { dist: uniform, min: 100, max: 900 }, output_tokens: { dist: uniform, min: 10, max: 150 } }\n";

        string _scenePath = "";

        [SetUp]
        public void WriteScene()
        {
            string dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "driver-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            _scenePath = Path.Combine(dir, "scene.yaml");
            File.WriteAllText(_scenePath, Scene);
        }

        [TearDown]
        public void RemoveScene() => Directory.Delete(Path.GetDirectoryName(_scenePath)!, true);

        [Test]
        public void TheConsumerRunsOnSimCoresNetStandardBuild()
        {
            static string? Framework(Type type) => type.Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;
            Assert.That(Framework(typeof(SimulationHost)), Is.EqualTo(".NETStandard,Version=v2.1"));
            Assert.That(Framework(typeof(SimulationDriver)), Is.EqualTo(".NETStandard,Version=v2.1"));
            Assert.That(Framework(typeof(MemoryPack.MemoryPackSerializer)), Is.EqualTo(".NETStandard,Version=v2.1"), "its dependencies' netstandard builds too");
        }

        [Test]
        public void TicksAdvanceOnlyWhilePlayingAndStopAtTheEnd()
        {
            using SimulationDriver driver = SimulationDriver.Load(_scenePath);
            Assert.That(driver.Tick(), Is.EqualTo(0), "paused");
            driver.Playing = true;
            driver.FrameBudget = TimeSpan.Zero;
            Assert.That(driver.Tick(), Is.EqualTo(1), "a zero budget still makes progress: one step a frame");
            driver.FrameBudget = TimeSpan.FromMilliseconds(5);
            int frames = 0;
            while (driver.Playing && frames < 100_000)
            {
                driver.Tick();
                frames++;
            }
            Assert.That(driver.Host.Done, Is.True);
            Assert.That(driver.Playing, Is.False, "play stops by itself at the end");
            Assert.That(driver.Host.Simulation.Log.Completed + driver.Host.Simulation.Log.Rejected, Is.EqualTo(80));
        }

        [Test]
        public void TheSameSceneGivesTheSameRunWhetherTickedOrStepped()
        {
            using SimulationDriver ticked = SimulationDriver.Load(_scenePath);
            ticked.Playing = true;
            while (ticked.Playing) ticked.Tick();
            using SimulationDriver stepped = SimulationDriver.Load(_scenePath);
            while (stepped.StepIteration(0) || stepped.StepIteration(1)) { }
            Assert.That(stepped.Host.Simulation.Log.Records.ToArray(), Is.EqualTo(ticked.Host.Simulation.Log.Records.ToArray()));
        }

        [Test]
        public void ThePageMapColoursFreeCachedAndEachOwner()
        {
            using SimulationDriver driver = SimulationDriver.Load(_scenePath);
            driver.Host.RunUntil(host => host.Running(0).Count >= 2);
            var pages = driver.Host.Pages(0);
            var colours = driver.PageColours(0);
            Assert.That(colours, Has.Count.EqualTo(pages.Count));
            for (int i = 0; i < pages.Count; i++)
            {
                PageColour expected = pages[i].Use == PageUse.Free ? PageColour.Free : pages[i].Use == PageUse.Cached ? PageColour.Cached : PageColour.ForRequest(pages[i].Owner);
                Assert.That(colours[i], Is.EqualTo(expected));
            }
            long[] owners = pages.Where(p => p.Use == PageUse.Owned).Select(p => p.Owner).Distinct().ToArray();
            Assert.That(owners, Has.Length.GreaterThanOrEqualTo(2));
            Assert.That(owners.Select(PageColour.ForRequest).Distinct().Count(), Is.EqualTo(owners.Length), "each owner its own colour");
            Assert.That(driver.Status(0), Does.StartWith("replica 0  t=").And.Contain("running " + driver.Host.Running(0).Count));
        }
    }
}
