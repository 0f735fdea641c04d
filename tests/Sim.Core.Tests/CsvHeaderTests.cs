using System;
using System.Linq;
using NUnit.Framework;

namespace Sim.Core.Tests
{
    /// <summary>A data line's fields found by their commas, against positions counted by hand.</summary>
    public class CsvHeaderTests
    {
        static readonly CsvHeader Header = new CsvHeader("t.csv", 1, "a, b,c,d");

        static string[] Fields(string line)
        {
            int[] starts = Header.NewFieldStarts();
            Header.Split(line, 2, starts);
            var fields = new string[starts.Length - 1];
            for (int i = 0; i < fields.Length; i++) fields[i] = CsvHeader.Field(line, starts, i).ToString();
            return fields;
        }

        [Test]
        public void FieldsLieBetweenTheCommasEmptyOnesIncluded()
        {
            int[] starts = Header.NewFieldStarts();
            Header.Split("1,22,,4444", 2, starts);
            Assert.That(starts, Is.EqualTo(new[] { 0, 2, 5, 6, 11 }));
            Assert.That(Fields("1,22,,4444"), Is.EqualTo(new[] { "1", "22", "", "4444" }));
            Assert.That(Fields(",,,"), Is.EqualTo(new[] { "", "", "", "" }));
            Assert.That(Fields(" x , y,z, "), Is.EqualTo(new[] { " x ", " y", "z", " " }));
        }

        [Test]
        public void LongLinesFieldsAreFoundAcrossEverySixteenCharacterBlock()
        {
            // Fields of 0 to 20 characters, so commas fall at every position of the blocks compared at once, and at their edges.
            var random = new Random(7);
            for (int round = 0; round < 200; round++)
            {
                int columns = random.Next(1, 60);
                var fields = new string[columns];
                for (int i = 0; i < columns; i++) fields[i] = new string('x', random.Next(0, 21));
                string line = string.Join(",", fields);
                var header = new CsvHeader("t.csv", 1, string.Join(",", Enumerable.Range(0, columns).Select(i => "c" + i)));
                int[] starts = header.NewFieldStarts();
                header.Split(line, 2, starts);
                // Each field starts one past the end of the one before it and its comma.
                int expected = 0;
                for (int i = 0; i < columns; i++)
                {
                    Assert.That(starts[i], Is.EqualTo(expected), "round " + round + ", field " + i);
                    Assert.That(CsvHeader.Field(line, starts, i).ToString(), Is.EqualTo(fields[i]));
                    expected += fields[i].Length + 1;
                }
                Assert.That(starts[columns], Is.EqualTo(line.Length + 1));
                var tooMany = Assert.Throws<SimInputException>(() => header.Split(line + ",x", 2, header.NewFieldStarts()))!;
                Assert.That(tooMany.Message, Does.Contain((columns + 1) + " columns, but the header has " + columns));
            }
        }

        [Test]
        public void ALineWithAnotherColumnCountIsRefusedOnItsLine()
        {
            var tooFew = Assert.Throws<SimInputException>(() => Fields("1,2,3"))!;
            Assert.That(tooFew.Message, Does.Contain("3 columns, but the header has 4"));
            Assert.That(tooFew.Message, Does.Contain("t.csv:2"));
            var tooMany = Assert.Throws<SimInputException>(() => Fields("1,2,3,4,5,6"))!;
            Assert.That(tooMany.Message, Does.Contain("6 columns, but the header has 4"));
            Assert.That(Assert.Throws<SimInputException>(() => Fields(""))!.Message, Does.Contain("1 columns, but the header has 4"));
        }
    }
}
