using System;
using Sim.Core.Components;
using Sim.Core.Compute;
using Sim.Core.Ecs;

namespace Sim.Core.Tokens
{
    /// <summary>
    /// Token mode's attention: a query attends over all of a sequence's positions (the full cache, through the
    /// backend's kernel), each layer group at its own temperature; resident tokens of the group get their share
    /// renormalised over what is resident, and the group's dispersion is tracked for <c>cake</c>.
    /// </summary>
    internal sealed class TokenScoring
    {
        readonly World _world;
        readonly AttentionModel _attention;
        readonly IComputeBackend _backend;
        readonly bool _tracksDispersion;
        readonly float[] _query = new float[AttentionModel.KeyDim];
        readonly float[] _scaledQuery = new float[AttentionModel.KeyDim];
        float[] _probabilities = new float[1024];

        /// <param name="tracksDispersion">Whether a policy reads the layer groups' dispersion (its entropy costs a log per position).</param>
        public TokenScoring(World world, AttentionModel attention, IComputeBackend backend, bool tracksDispersion)
        {
            _tracksDispersion = tracksDispersion;
            _world = world;
            _attention = attention;
            _backend = backend;
        }

        /// <summary>
        /// Every layer group attends from <paramref name="queryPosition"/>; returns the mean over groups of the full cache's
        /// mass on resident tokens, a low-precision token's counted at its fidelity.
        /// </summary>
        public double Attend(SequenceTokens sequence, int queryPosition)
        {
            int count = queryPosition + 1;
            if (_probabilities.Length < count) _probabilities = new float[Math.Max(count, _probabilities.Length * 2)];
            _attention.QueryOf(sequence.RequestId, queryPosition, _query);
            double massSum = 0;
            for (int layer = 0; layer < _attention.Layers; layer++)
            {
                float temperature = _attention.LayerTemperature(layer);
                for (int j = 0; j < _query.Length; j++) _scaledQuery[j] = temperature * _query[j];
                _backend.AttentionProbabilities(new ReadOnlySpan<float>(sequence.Keys, 0, count * AttentionModel.KeyDim), count, _scaledQuery,
                    temperature * _attention.RecencyDecayPerToken, _probabilities);
                if (_tracksDispersion) sequence.Dispersion[layer] = 0.9 * sequence.Dispersion[layer] + 0.1 * NormalisedEntropy(count);
                massSum += Credit(sequence, layer, queryPosition);
            }
            return massSum / _attention.Layers;
        }

        /// <summary>Adds each resident token of <paramref name="layer"/> up to the query its renormalised share; returns the resident mass as delivered.</summary>
        double Credit(SequenceTokens sequence, int layer, int queryPosition)
        {
            double mass = 0, delivered = 0;
            int visible = 0;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[i]);
                if (token.Position > queryPosition) break;
                if (token.Layer != layer) continue;
                double p = _probabilities[token.Position];
                mass += p;
                delivered += token.Bits == 16 ? p : p * KvCompression.Fidelity(token.Bits);
                visible++;
            }
            if (mass <= 0) return mass;
            float evenShare = 1f / visible;
            for (int i = 0; i < sequence.ResidentCount; i++)
            {
                ref KvToken token = ref _world.Get<KvToken>(sequence.Resident[i]);
                if (token.Position > queryPosition) break;
                if (token.Layer != layer) continue;
                float share = (float)(_probabilities[token.Position] / mass);
                token.Score += share;
                if (share <= evenShare) continue;
                if (token.LastAttendedStep >= 0)
                {
                    float gap = queryPosition - token.LastAttendedStep;
                    token.RecurrenceInterval = token.RecurrenceInterval == 0 ? gap : 0.5f * (token.RecurrenceInterval + gap);
                }
                token.LastAttendedStep = queryPosition;
            }
            return delivered;
        }

        /// <summary>Entropy of the probabilities over <paramref name="count"/> positions, over its maximum log(count): 0 when peaked on one, 1 when even.</summary>
        double NormalisedEntropy(int count)
        {
            if (count < 2) return 1;
            double entropy = 0;
            for (int i = 0; i < count; i++)
            {
                double p = _probabilities[i];
                if (p > 0) entropy -= p * Math.Log(p);
            }
            return entropy / Math.Log(count);
        }
    }
}
