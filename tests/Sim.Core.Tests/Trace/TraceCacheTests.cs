using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core.Scenes;
using Sim.Core.Tests.Support;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    /// <summary>Workloads opened through a shared trace cache equal those read afresh from the file.</summary>
    public class TraceCacheTests
    {
        string _path = "";

        [SetUp]
        public void WriteTrace()
        {
            _path = Path.GetTempFileName();
            // Five good rows, then one that only a read past the fifth request meets.
            File.WriteAllText(_path, "arrived_at,num_prefill_tokens,num_decode_tokens\n0,100,5\n0.5,200,6\n1.25,300,7\n2,400,8\n4,500,9\n5,-1,1\n");
        }

        [TearDown]
        public void Remove() => File.Delete(_path);

        Scene SceneOver(long? requests, double timeScale)
        {
            Scene scene = TestScenes.Small();
            scene.TracePath = _path;
            scene.MaxRequests = requests;
            scene.TimeScale = timeScale;
            return scene;
        }

        [Test]
        public void CachedWorkloadsEqualFreshOnesAtAnyScaleAndLength()
        {
            var cache = new TraceCache();
            foreach (long requests in new long[] { 5, 3, 1 })
                foreach (double scale in new[] { 1, 0.25, 3.0 })
                {
                    TraceRequest[] fresh = SceneWorkload.Open(SceneOver(requests, scale)).Requests.ToArray();
                    TraceRequest[] cached = SceneWorkload.Open(SceneOver(requests, scale), cache).Requests.ToArray();
                    Assert.That(cached, Is.EqualTo(fresh), requests + " requests at scale " + scale);
                }
            // Worked by hand: gaps 0.5, 0.75, 0.75, 2 times 3.
            Assert.That(SceneWorkload.Open(SceneOver(5, 3), cache).Requests.Select(r => r.ArrivalS), Is.EqualTo(new[] { 0, 1.5, 3.75, 6, 12 }));
        }

        [Test]
        public void ABadLinePastTheRequestsReadIsAnErrorOnlyWhenReached()
        {
            var cache = new TraceCache();
            Assert.That(SceneWorkload.Open(SceneOver(5, 1), cache).Count, Is.EqualTo(5));
            var error = Assert.Throws<SimInputException>(() => SceneWorkload.Open(SceneOver(null, 1), cache));
            Assert.That(error!.Line, Is.EqualTo(7));
            Assert.Throws<SimInputException>(() => SceneWorkload.Open(SceneOver(null, 1), cache));
        }
    }
}
