namespace Sim.Core.PerfModel
{
    /// <summary>One operator's predicted time in one decoder layer on one GPU.</summary>
    public readonly struct OperatorTime
    {
        public OperatorTime(string op, double timeS)
        {
            Op = op;
            TimeS = timeS;
        }

        /// <summary>Operator name as in docs/CLI.md (attn_pre_proj, mlp_up_proj, all_reduce, ...).</summary>
        public string Op { get; }

        public double TimeS { get; }
    }
}
