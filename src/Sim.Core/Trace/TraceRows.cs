using System.Globalization;

namespace Sim.Core.Trace
{
    /// <summary>The checks every trace format shares: token counts are positive whole numbers, arrivals never go back in time, the trace is not empty.</summary>
    internal sealed class TraceRows
    {
        readonly string _path;
        readonly string _arrivalField;
        double _lastArrivalS = double.NegativeInfinity;

        public TraceRows(string path, string arrivalField)
        {
            _path = path;
            _arrivalField = arrivalField;
        }

        public long Count { get; private set; }

        public TraceRequest Make(int line, double arrivalS, int promptTokens, int outputTokens, int[]? hashIds)
        {
            if (arrivalS < _lastArrivalS)
                throw new SimInputException(_path, line, _arrivalField, "arrives before the previous request; a trace must be in arrival order");
            _lastArrivalS = arrivalS;
            return new TraceRequest { Id = Count++, ArrivalS = arrivalS, PromptTokens = promptTokens, OutputTokens = outputTokens, HashIds = hashIds, SourceLine = line };
        }

        public void Finish()
        {
            if (Count == 0) throw new SimInputException(_path, 0, "", "the trace has no requests");
        }

        public int Tokens(int line, string field, string text)
        {
            if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int tokens))
                throw new SimInputException(_path, line, field, "'" + text + "' is not a whole number of tokens");
            return Tokens(line, field, tokens);
        }

        public int Tokens(int line, string field, double value)
        {
            if (value != System.Math.Floor(value) || value > int.MaxValue)
                throw new SimInputException(_path, line, field, value.ToString("R", CultureInfo.InvariantCulture) + " is not a whole number of tokens");
            if (value < 1) throw new SimInputException(_path, line, field, value.ToString("R", CultureInfo.InvariantCulture) + " tokens; a request needs at least 1");
            return (int)value;
        }

        public double Number(int line, string field, string text)
        {
            if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new SimInputException(_path, line, field, "'" + text + "' is not a number");
            return Number(line, field, value);
        }

        public double Number(int line, string field, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) throw new SimInputException(_path, line, field, "must be a finite number");
            if (value < 0) throw new SimInputException(_path, line, field, "must not be negative");
            return value;
        }
    }
}
