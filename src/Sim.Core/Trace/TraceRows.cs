using System;
using System.Globalization;

namespace Sim.Core.Trace
{
    /// <summary>
    /// The checks every trace format shares: token counts are whole numbers of at least 1, times are finite and
    /// not negative, arrivals never go back in time, and the trace is not empty. It also numbers the requests.
    /// </summary>
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

        public const string PriorityField = "priority";

        public TraceRequest Make(int line, double arrivalS, int promptTokens, int outputTokens, int[]? hashIds, int priority)
        {
            if (arrivalS < _lastArrivalS)
                throw new SimInputException(_path, line, _arrivalField, "arrives before the previous request; a trace must be in arrival order");
            _lastArrivalS = arrivalS;
            return new TraceRequest { Id = Count++, ArrivalS = arrivalS, PromptTokens = promptTokens, OutputTokens = outputTokens, HashIds = hashIds, Priority = priority, SourceLine = line };
        }

        public void Finish()
        {
            if (Count == 0) throw new SimInputException(_path, 0, "", "the trace has no requests");
        }

        public int Tokens(int line, string field, ReadOnlySpan<char> text)
        {
            // Traces write counts as plain digits: read so, without a floating-point parse; anything else ("12.0", "0", a
            // count past int's range, a non-number) takes the general way, which accepts it or says what is wrong.
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1) return count;
            return Tokens(line, field, Parse(line, field, text));
        }

        /// <summary>A token count: "12" and "12.0" are 12; fractions, non-numbers and counts below 1 are errors.</summary>
        public int Tokens(int line, string field, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) throw Refused(line, field, value, " is not a finite number of tokens");
            if (value < 1) throw Refused(line, field, value, " tokens; a request needs at least 1");
            if (value != Math.Floor(value)) throw Refused(line, field, value, " is not a whole number of tokens");
            if (value > int.MaxValue) throw Refused(line, field, value, " tokens is more than " + int.MaxValue.ToString(CultureInfo.InvariantCulture));
            return (int)value;
        }

        // The value is formatted only for an error, not for every row read (a string and a shortest round-trip each).
        SimInputException Refused(int line, string field, double value, string problem) =>
            new SimInputException(_path, line, field, value.ToString("R", CultureInfo.InvariantCulture) + problem);

        public int Priority(int line, ReadOnlySpan<char> text) => Priority(line, Parse(line, PriorityField, text));

        /// <summary>A priority class: a whole number from 0 (most urgent) to 1000.</summary>
        public int Priority(int line, double value)
        {
            if (!(value >= 0 && value <= 1000) || value != Math.Floor(value))
                throw new SimInputException(_path, line, PriorityField, value.ToString("R", CultureInfo.InvariantCulture) + " is not a priority class (a whole number from 0, the most urgent, to 1000)");
            return (int)value;
        }

        public double Timestamp(int line, string field, ReadOnlySpan<char> text) => Timestamp(line, field, Parse(line, field, text));

        public double Timestamp(int line, string field, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) throw new SimInputException(_path, line, field, "must be a finite number");
            if (value < 0) throw new SimInputException(_path, line, field, "must not be negative");
            return value;
        }

        double Parse(int line, string field, ReadOnlySpan<char> text)
        {
            if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new SimInputException(_path, line, field, "'" + text.ToString() + "' is not a number");
            return value;
        }
    }
}
