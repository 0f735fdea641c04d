using Sim.Core.PerfModel;

namespace Sim.Core.Scenes
{
    /// <summary>
    /// KV prediction for time to first token (<c>kv_prediction:</c>): a small auxiliary model prefills the prompt and
    /// learned per-layer projections turn its KV cache into the base model's, which then decodes.
    /// </summary>
    public sealed class KvPrediction
    {
        /// <summary>The auxiliary model's catalog id.</summary>
        public string AuxiliaryId { get; set; } = "";

        public ModelSpec AuxiliaryModel { get; set; } = new ModelSpec();

        /// <summary>The quality proxy: the base model's task accuracy kept with predicted KV (scene-given, from the paper's tables).</summary>
        public double AccuracyRetention { get; set; } = 1;
    }
}
