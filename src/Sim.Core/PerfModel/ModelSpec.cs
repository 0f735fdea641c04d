namespace Sim.Core.PerfModel
{
    /// <summary>A model's published architecture (scenes/models/&lt;id&gt;.yaml): what the perf model and the KV cache need.</summary>
    public sealed class ModelSpec
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public int Layers { get; set; }
        public int HiddenSize { get; set; }
        public int Heads { get; set; }
        public int KvHeads { get; set; }
        public int HeadDim { get; set; }
        public int IntermediateSize { get; set; }
        public int VocabSize { get; set; }
        public int MaxContextTokens { get; set; }

        /// <summary>Gate and up projections (SwiGLU) rather than one up projection.</summary>
        public bool GatedMlp { get; set; } = true;

        public double WeightBytesPerParam { get; set; } = 2;

        /// <summary>K and V elements stored per token per layer; 2 × kv heads × head dim unless the attention compresses them (MLA).</summary>
        public int KvElementsPerTokenPerLayer { get; set; }

        /// <summary>Routed experts per MoE layer; 0 for a dense model.</summary>
        public int Experts { get; set; }

        public int ExpertsPerToken { get; set; }

        public int SharedExperts { get; set; }

        public int ExpertIntermediateSize { get; set; }

        /// <summary>The published total parameter count; derived from the shapes when the file gives none.</summary>
        public long? PublishedParameters { get; set; }

        public bool IsMoe => Experts > 0;

        public int QueryDim => Heads * HeadDim;

        public int KvDim => KvHeads * HeadDim;

        /// <summary>Width of the MLP every token passes through: the dense MLP, or an MoE layer's shared experts (0 when it has none).</summary>
        public int DenseIntermediateSize => IsMoe ? SharedExperts * ExpertIntermediateSize : IntermediateSize;

        public long ParameterCount => PublishedParameters ?? DerivedParameters;

        public long WeightBytes => (long)(ParameterCount * WeightBytesPerParam);

        public long KvBytesPerToken(double bytesPerElement) => (long)System.Math.Ceiling((long)Layers * KvElementsPerTokenPerLayer * bytesPerElement);

        long DerivedParameters
        {
            get
            {
                long h = HiddenSize;
                long attention = h * QueryDim + 2 * h * KvDim + (long)QueryDim * h;
                int projections = GatedMlp ? 3 : 2;
                long mlp = IsMoe
                    ? (long)(Experts + SharedExperts) * projections * h * ExpertIntermediateSize + h * Experts
                    : projections * h * IntermediateSize;
                long norms = 2 * h;
                return Layers * (attention + mlp + norms) + 2 * (long)VocabSize * h + h;
            }
        }
    }
}
