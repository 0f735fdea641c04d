using System;
using System.Globalization;
using CsCheck;
using NUnit.Framework;
using Sim.Core.Trace;

namespace Sim.Core.Tests.Trace
{
    public class AzureTimestampTests
    {
        // The reference: .NET's own exact parser over the eight layouts the reader accepts.
        static readonly string[] Layouts =
        {
            "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.f", "yyyy-MM-dd HH:mm:ss.ff", "yyyy-MM-dd HH:mm:ss.fff",
            "yyyy-MM-dd HH:mm:ss.ffff", "yyyy-MM-dd HH:mm:ss.fffff", "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss.fffffff",
        };

        static (bool Ok, long Ticks) Reference(string text) =>
            DateTime.TryParseExact(text, Layouts, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime t) ? (true, t.Ticks) : (false, 0);

        static (bool Ok, long Ticks) Parsed(string text) => AzureTimestamp.TryParseTicks(text, out long ticks) ? (true, ticks) : (false, 0);

        [TestCase("2023-11-16 18:15:46.6805900")]
        [TestCase("2023-11-16 18:15:46")]
        [TestCase("2023-11-16 18:15:46.5")]
        [TestCase("2024-02-29 23:59:59.9999999")]
        [TestCase("2023-02-29 00:00:00")]
        [TestCase("2023-04-31 00:00:00")]
        [TestCase("2023-11-16 24:00:00")]
        [TestCase("2023-11-16 18:60:00")]
        [TestCase("2023-13-01 00:00:00")]
        [TestCase("0000-01-01 00:00:00")]
        [TestCase("2023-11-16T18:15:46")]
        [TestCase("2023-11-16 18:15:46.")]
        [TestCase("2023-11-16 18:15:46.12345678")]
        [TestCase("2023-11-16 18:15:4x")]
        [TestCase("2023-11-16 18:15:46,5")]
        public void AgreesWithDateTimeParseExact(string text)
        {
            Assert.That(Parsed(text), Is.EqualTo(Reference(text)));
        }

        [Test]
        public void AgreesWithDateTimeParseExactOnRandomTimestamps()
        {
            // Mostly well-formed timestamps with random field values, fraction lengths and the odd wrong character.
            Gen.Select(Gen.Int[0, 9999], Gen.Int[0, 13], Gen.Int[0, 32], Gen.Int[0, 25], Gen.Int[0, 61], Gen.Int[0, 61], Gen.Int[0, 9999999].Select(Gen.Int[-1, 8]), Gen.Char["0123456789-: .T"].Select(Gen.Int[0, 30]))
                .Select((y, mo, d, h, mi, s, fraction, typo) =>
                {
                    string text = y.ToString("D4", CultureInfo.InvariantCulture) + "-" + mo.ToString("D2", CultureInfo.InvariantCulture) + "-" + d.ToString("D2", CultureInfo.InvariantCulture)
                        + " " + h.ToString("D2", CultureInfo.InvariantCulture) + ":" + mi.ToString("D2", CultureInfo.InvariantCulture) + ":" + s.ToString("D2", CultureInfo.InvariantCulture);
                    if (fraction.Item2 >= 0) text += "." + fraction.Item1.ToString("D7", CultureInfo.InvariantCulture).Substring(0, Math.Min(7, fraction.Item2)) + (fraction.Item2 == 8 ? "1" : "");
                    if (typo.Item2 < text.Length && typo.Item2 % 3 == 0) text = text.Substring(0, typo.Item2) + typo.Item1 + text.Substring(typo.Item2 + 1);
                    return text;
                })
                .Sample(text => Parsed(text) == Reference(text), iter: 3000);
        }
    }
}
