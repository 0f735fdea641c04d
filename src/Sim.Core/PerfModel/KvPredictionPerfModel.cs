using System;

namespace Sim.Core.PerfModel
{
    /// <summary>
    /// Times iterations under KV prediction: prompt chunks run on the auxiliary model, followed by the projections
    /// that predict the base model's KV from the auxiliary's; decodes run on the base model. A batch holding both
    /// runs the two passes one after the other.
    /// </summary>
    public sealed class KvPredictionPerfModel : IPerfModel
    {
        readonly IPerfModel _base;
        readonly IPerfModel _auxiliary;
        readonly double _projectionSPerToken;
        SequenceWork[] _prefills = new SequenceWork[16];
        SequenceWork[] _decodes = new SequenceWork[16];

        /// <param name="projectionSPerToken">The projections' time per prompt token (<see cref="ProjectionSPerToken"/>).</param>
        public KvPredictionPerfModel(IPerfModel baseModel, IPerfModel auxiliary, double projectionSPerToken)
        {
            _base = baseModel;
            _auxiliary = auxiliary;
            _projectionSPerToken = projectionSPerToken;
        }

        /// <summary>
        /// One linear map per base layer from the auxiliary's keys to the base's and one for values: 2 x (aux K width)
        /// x (base K width) FLOPs each, per token, which is aux KV elements x base KV elements per base layer; at the
        /// GPUs' fp16 peak times the GEMM efficiency (compute-bound: the maps' weights are small next to the prompt).
        /// </summary>
        public static double ProjectionSPerToken(ModelSpec baseModel, ModelSpec auxiliary, HardwareSpec hardware, int gpus) =>
            (double)baseModel.Layers * auxiliary.KvElementsPerTokenPerLayer * baseModel.KvElementsPerTokenPerLayer
            / (gpus * hardware.PeakFp16Flops * hardware.Efficiency.GemmCompute);

        public double IterationTimeS(ReadOnlySpan<SequenceWork> batch)
        {
            if (_prefills.Length < batch.Length)
            {
                _prefills = new SequenceWork[batch.Length];
                _decodes = new SequenceWork[batch.Length];
            }
            int prefills = 0, decodes = 0, promptTokens = 0;
            foreach (SequenceWork work in batch)
            {
                if (work.IsDecode) _decodes[decodes++] = work;
                else
                {
                    _prefills[prefills++] = work;
                    promptTokens += work.NewTokens;
                }
            }
            double timeS = 0;
            if (prefills > 0) timeS += _auxiliary.IterationTimeS(new ReadOnlySpan<SequenceWork>(_prefills, 0, prefills)) + promptTokens * _projectionSPerToken;
            if (decodes > 0) timeS += _base.IterationTimeS(new ReadOnlySpan<SequenceWork>(_decodes, 0, decodes));
            return timeS;
        }
    }
}
