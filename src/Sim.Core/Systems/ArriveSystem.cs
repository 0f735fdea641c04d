using System;
using System.Globalization;
using Sim.Core.Components;
using Sim.Core.Ecs;
using Sim.Core.Kv;
using Sim.Core.Metrics;
using Sim.Core.Pipeline;
using Sim.Core.Scenes;
using Sim.Core.Trace;

namespace Sim.Core.Systems
{
    /// <summary>
    /// Turns every trace request whose arrival time has come into a request entity, not yet routed (its
    /// <see cref="RequestProgress.Replica"/> -1), or rejects it when it can never fit. The producer of request entities:
    /// the one system whose input is the trace stream rather than a query over the world.
    /// </summary>
    public sealed class ArriveSystem : ISystem
    {
        readonly World _world;
        readonly SimClock _clock;
        readonly ArrivalStream _arrivals;
        readonly RequestLimits _limits;
        readonly RequestLog _log;

        public ArriveSystem(World world)
        {
            _world = world;
            _clock = world.GetResource<SimClock>();
            _arrivals = world.GetResource<ArrivalStream>();
            _limits = world.GetResource<RequestLimits>();
            _log = world.GetResource<RequestLog>();
        }

        public Phase Phase => Phase.Arrive;

        public void Update()
        {
            while (_arrivals.HasNext && _arrivals.Next.ArrivalS <= _clock.NowS)
            {
                TraceRequest request = _arrivals.Next;
                _arrivals.Advance();
                ref RequestRecord record = ref _log.Open(request.Id);
                record.ArrivalS = request.ArrivalS;
                bool fits = Fit(ref request);
                record.PromptTokens = request.PromptTokens;
                record.OutputTokens = request.OutputTokens;
                if (!fits)
                {
                    _log.End(request.Id, RequestOutcome.Rejected);
                    continue;
                }
                // Created where it stays (no tag to take off when routed): the newest row of the request archetype.
                _world.Create(
                    new RequestInfo { Id = request.Id, ArrivalS = request.ArrivalS, PromptTokens = request.PromptTokens, OutputTokens = request.OutputTokens, Priority = request.Priority, HashIds = request.HashIds },
                    new RequestProgress { Replica = -1, Phase = RequestPhase.Queued, TokenSlot = -1 },
                    new RequestTimes { FirstScheduledS = double.NaN, FirstTokenS = double.NaN, LastTokenS = double.NaN },
                    KvBlockPool.EmptyTable,
                    new PrefixState(),
                    new QueueLink());
            }
        }

        /// <summary>
        /// The archetype requests are created into (their six components, as <see cref="Update"/> makes them) and live in
        /// while waiting and running; a disaggregated request leaves it only while its KV crosses to a decode replica.
        /// </summary>
        internal static Archetype Requests(World world) =>
            world.ArchetypeOf<RequestInfo, RequestProgress, RequestTimes, KvPageTable, PrefixState, QueueLink>();

        /// <summary>Applies the oversize policy; false when the request is rejected.</summary>
        bool Fit(ref TraceRequest request)
        {
            int limit = _limits.MaxTotalTokens;
            if ((long)request.PromptTokens + request.OutputTokens <= limit) return true;
            if (_limits.Oversize == OversizePolicy.Error)
                throw new SimInputException(_arrivals.SourceName, request.SourceLine, "prompt_tokens",
                    "request " + request.Id.ToString(CultureInfo.InvariantCulture) + " needs " + (request.PromptTokens + (long)request.OutputTokens).ToString(CultureInfo.InvariantCulture)
                    + " tokens (prompt + output), more than the " + limit.ToString(CultureInfo.InvariantCulture)
                    + " the model's context and the KV cache allow; use workload.oversize: reject or truncate");
            if (!_limits.Serves(request.PromptTokens, request.OutputTokens)) return false;
            // Truncated as vLLM does: the prompt is kept whole and generation stops at the limit (finish reason "length").
            request.OutputTokens = limit - request.PromptTokens;
            return true;
        }
    }
}
