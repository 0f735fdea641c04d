using System;
using System.Collections.Generic;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace Sim.GpuCheck
{
    /// <summary>Runs Sim.Vulkan.Tests through NUnit's own assembly runner (no test host, no adapter) and prints a line a test.</summary>
    static class VulkanTestRun
    {
        public static int Run(string? namePart)
        {
            var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
            runner.Load(typeof(Vulkan.Tests.ContextLifetimeTests).Assembly, new Dictionary<string, object>());
            ITestFilter filter = namePart == null ? TestFilter.Empty : new NameContains(namePart);
            var listener = new Listener();
            runner.Run(listener, filter);
            Console.WriteLine(listener.Passed + " passed, " + listener.Failed + " failed, " + listener.Skipped + " skipped");
            return listener.Failed == 0 ? 0 : 1;
        }

        /// <summary>Tests whose full name contains a given part.</summary>
        sealed class NameContains : TestFilter
        {
            readonly string _part;

            public NameContains(string part) => _part = part;

            public override bool Match(ITest test) => test.FullName.Contains(_part, StringComparison.Ordinal);

            public override TNode AddToXml(TNode parentNode, bool recursive) => parentNode.AddElement("test", _part);
        }

        sealed class Listener : ITestListener
        {
            public int Passed, Failed, Skipped;

            public void TestStarted(ITest test) { }

            public void TestFinished(ITestResult result)
            {
                if (result.Test.IsSuite) return;
                string outcome = result.ResultState.Status.ToString();
                if (result.ResultState.Status == TestStatus.Passed) Passed++;
                else if (result.ResultState.Status == TestStatus.Failed) Failed++;
                else Skipped++;
                string why = result.ResultState.Status == TestStatus.Passed ? "" : " — " + result.Message?.Replace('\n', ' ');
                Console.WriteLine(outcome + " " + result.FullName + " (" + result.Duration.ToString("F2") + " s)" + why);
            }

            public void TestOutput(TestOutput output) { }

            public void SendMessage(TestMessage message) { }
        }
    }
}
