using System;

namespace Sim.Core.Pipeline
{
    /// <summary>The simulator broke one of its own invariants: a bug, never a user mistake.</summary>
    public sealed class InvariantViolationException : Exception
    {
        public InvariantViolationException(string message) : base(message)
        {
        }
    }
}
