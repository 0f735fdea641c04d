using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Sim.Core;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// Hands points to the cluster's workers and gathers results as they finish. Each worker gets as many lanes as it
    /// has slots; a lane places each point on its worker (Orleans' placement hint), runs it, and asks every
    /// <see cref="PingEvery"/> whether it is still running. A run that fails, or that two pings in a row find gone, goes
    /// back to the front of the queue for any worker (a point lost three times after it started stops the run); a result is taken once, whichever run brings it.
    /// Workers joining mid-run get lanes; workers of another build are refused with one line.
    /// </summary>
    public sealed class ClusterScheduler
    {
        static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(2);
        static readonly TimeSpan DiscoverEvery = TimeSpan.FromSeconds(1);
        static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

        readonly IClusterClient _client;
        readonly ITraceSource _traceReference;
        readonly TextWriter _log;
        readonly string _version;
        readonly string _runId = Guid.NewGuid().ToString("N");
        readonly ConcurrentDictionary<SiloAddress, ClusterWorker> _workers = new ConcurrentDictionary<SiloAddress, ClusterWorker>();

        public ClusterScheduler(IClusterClient client, TraceServer traces, ClusterProgress progress, TextWriter log, string? version = null)
        {
            _client = client;
            // The reference is held for the scheduler's life: workers call back through it for trace chunks.
            Traces = traces;
            _traceReference = client.CreateObjectReference<ITraceSource>(traces);
            Progress = progress;
            _log = log;
            _version = version ?? WorkerOptions.BuildVersion();
        }

        public TraceServer Traces { get; }

        public ClusterProgress Progress { get; }

        /// <summary>How long the client waits with no usable worker before it gives up.</summary>
        public TimeSpan NoWorkerTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Slots of the usable workers known now (lanes a batch can fill).</summary>
        public int Slots => _workers.Values.Where(w => !w.Refused && !w.Gone).Sum(w => w.Info.Slots);

        /// <summary>Runs <paramref name="indexes"/> of <paramref name="jobs"/>; <paramref name="onResult"/> gets each point's encoded result once, as it arrives.</summary>
        public async Task Run(IReadOnlyList<PointJob> jobs, IEnumerable<int> indexes, Action<int, byte[]> onResult)
        {
            var batch = new PointBatch(jobs, indexes, onResult);
            var laned = new HashSet<SiloAddress>();
            var lanes = new List<Task>();
            var sinceWorker = Stopwatch.StartNew();
            while (!batch.IsOver)
            {
                await Discover();
                foreach (ClusterWorker worker in _workers.Values)
                    if (!worker.Refused && !worker.Gone && laned.Add(worker.Silo))
                        for (int slot = 0; slot < worker.Info.Slots; slot++) lanes.Add(Task.Run(() => Lane(worker, batch)));
                int usable = _workers.Values.Count(w => !w.Refused && !w.Gone);
                Progress.Workers(usable);
                if (usable > 0) sinceWorker.Restart();
                else if (sinceWorker.Elapsed > NoWorkerTimeout)
                    batch.Fail(new ClusterException("no usable worker for " + NoWorkerTimeout.TotalSeconds + " s; start one with `sim worker`"));
                await Task.WhenAny(batch.Finished, Task.Delay(DiscoverEvery));
            }
            await batch.Finished; // throws the batch's error
            await Task.WhenAll(lanes);
        }

        /// <summary>Asks the cluster for its active silos; new ones report their build and slots, gone ones are dropped.</summary>
        async Task Discover()
        {
            Dictionary<SiloAddress, SiloStatus> hosts;
            try
            {
                hosts = await _client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            }
            catch (Exception e) when (e is not ClusterException)
            {
                return; // membership is settling (a silo just died); ask again next round
            }
            foreach (ClusterWorker worker in _workers.Values)
                if (!hosts.ContainsKey(worker.Silo) && !worker.Gone)
                {
                    worker.Gone = true;
                    if (!worker.Refused) _log.WriteLine("cluster: worker " + worker.Name + " left; its points go to the others");
                }
            foreach (SiloAddress silo in hosts.Keys)
            {
                if (_workers.ContainsKey(silo)) continue;
                WorkerInfo info;
                try
                {
                    RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
                    info = await _client.GetGrain<IWorkerGrain>(silo.ToParsableString()).Info();
                }
                catch (Exception)
                {
                    continue; // not ready; next round
                }
                finally
                {
                    RequestContext.Remove(IPlacementDirector.PlacementHintKey);
                }
                if (info.Silo != silo.ToParsableString()) continue; // placed elsewhere: the silo is not taking activations yet
                bool refused = info.Version != _version;
                var worker = new ClusterWorker(silo, info, refused);
                if (!_workers.TryAdd(silo, worker)) continue;
                _log.WriteLine(refused
                    ? "cluster: refused worker " + worker.Name + ": version " + info.Version + ", this client is " + _version
                    : "cluster: worker " + worker.Name + " joined with " + info.Slots + " slots");
            }
        }

        /// <summary>
        /// One slot of a worker: takes points until the batch is over or the worker has left the cluster. After a run
        /// that never reached the worker it waits, doubling up to <see cref="MaxBackoff"/>, so a worker that is dying
        /// (still listed until the cluster's membership declares it dead) does not keep taking points back.
        /// </summary>
        async Task Lane(ClusterWorker worker, PointBatch batch)
        {
            TimeSpan backoff = TimeSpan.Zero;
            while (!batch.IsOver && !worker.Gone)
            {
                var next = batch.TryTake();
                if (next == null)
                {
                    await Task.Delay(50); // others' points may yet come back
                    continue;
                }
                (int index, int attempt) = next.Value;
                (PointOutcome? outcome, bool started, string? lost) = await RunOnce(worker, batch.Jobs[index], index, attempt);
                if (lost != null)
                {
                    Progress.Lost();
                    batch.Requeue(index, started, lost);
                    if (!started)
                    {
                        backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                        await Task.Delay(backoff);
                    }
                    continue;
                }
                backoff = TimeSpan.Zero;
                if (outcome!.Error != null)
                {
                    Progress.Abandoned();
                    batch.Fail(new SimInputException("point " + (index + 1), 0, "", outcome.Error));
                    return;
                }
                Progress.Completed();
                batch.Complete(index, outcome.Result!);
            }
        }

        /// <summary>One run of a point on a worker: its outcome, whether it was seen running, and why it was lost (null if not).</summary>
        async Task<(PointOutcome? Outcome, bool Started, string? Lost)> RunOnce(ClusterWorker worker, PointJob job, int index, int attempt)
        {
            var grain = _client.GetGrain<IPointGrain>(_runId + "/" + index + "/" + attempt);
            Progress.Started();
            bool started = false;
            int misses = 0;
            Task<PointOutcome> call;
            RequestContext.Set(IPlacementDirector.PlacementHintKey, worker.Silo);
            try
            {
                call = grain.Run(job, _traceReference);
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
            while (!call.IsCompleted)
            {
                if (await Task.WhenAny(call, Task.Delay(PingEvery)) == call) break;
                bool running;
                try
                {
                    running = await grain.IsRunning();
                }
                catch (Exception)
                {
                    running = false;
                }
                if (call.IsCompleted) break;
                started |= running;
                misses = running ? 0 : misses + 1;
                if (misses >= 2) return (null, started, "its worker stopped answering");
            }
            try
            {
                return (await call, true, null);
            }
            catch (Exception e)
            {
                // Messaging failures mean the point may never have reached the worker; anything else came from the run.
                bool reached = started || !(e is OrleansException || e is SiloUnavailableException || e is TimeoutException);
                return (null, reached, e.GetType().Name + ": " + e.Message.Split('\n')[0].Trim());
            }
        }
    }
}
