using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Sim.Core;
using Sim.Headless.CommandLine;
using Spectre.Console;

namespace Sim.Headless.Tests
{
    /// <summary>The command line's own parser: how flags bind, what it refuses, and the help it prints.</summary>
    public class CommandParserTests
    {
        sealed class Settings : CommandSettings
        {
            [CommandArgument(0, "<IN>")]
            [System.ComponentModel.Description("Input.")]
            public string In { get; set; } = "";

            [CommandArgument(1, "[EXTRA]")]
            [System.ComponentModel.Description("Optional second input.")]
            public string? Extra { get; set; }

            [CommandOption("--set <KEY=VALUE>")]
            [System.ComponentModel.Description("Repeatable.")]
            public string[] Sets { get; set; } = Array.Empty<string>();

            [CommandOption("--cache-tokens <N>")]
            [System.ComponentModel.Description("Repeatable numbers.")]
            public long[] CacheTokens { get; set; } = Array.Empty<long>();

            [CommandOption("--scale <X>")]
            [System.ComponentModel.Description("A number.")]
            public double? Scale { get; set; }

            [CommandOption("--json")]
            [System.ComponentModel.Description("A switch.")]
            public bool Json { get; set; }
        }

        sealed class Probe : Command<Settings>
        {
            public static Settings? Last;

            public override int Execute(Settings settings)
            {
                Last = settings;
                return 7;
            }
        }

        static IAnsiConsole Quiet() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()) });

        static Settings Parse(params string[] args)
        {
            var app = new CommandLineApp(new CommandGroup("sim", "").Add(CommandDefinition.Of<Probe, Settings>("probe", "Probe")));
            Assert.That(app.Run(new[] { "probe" }.Concat(args).ToList(), Quiet()), Is.EqualTo(7), "the command's own exit code");
            return Probe.Last!;
        }

        static string Refusal(params string[] args)
        {
            var app = new CommandLineApp(new CommandGroup("sim", "").Add(CommandDefinition.Of<Probe, Settings>("probe", "Probe")));
            return Assert.Throws<SimInputException>(() => app.Run(args.ToList(), Quiet()))!.Message;
        }

        [Test]
        public void FlagsBindInEitherFormAndRepeatedFlagsKeepTheirOrder()
        {
            Settings s = Parse("in.yaml", "--set", "b=2", "--scale=0.25", "--set=a=1", "--cache-tokens", "512", "--json", "--cache-tokens", "64", "second");
            Assert.That(s.In, Is.EqualTo("in.yaml"));
            Assert.That(s.Extra, Is.EqualTo("second"));
            Assert.That(s.Sets, Is.EqualTo(new[] { "b=2", "a=1" }), "only the first '=' splits the flag from its value");
            Assert.That(s.CacheTokens, Is.EqualTo(new long[] { 512, 64 }));
            Assert.That(s.Scale, Is.EqualTo(0.25));
            Assert.That(s.Json, Is.True);
        }

        [Test]
        public void AbsentFlagsKeepTheirDefaults()
        {
            Settings s = Parse("in.yaml");
            Assert.That(s.Extra, Is.Null);
            Assert.That(s.Sets, Is.Empty);
            Assert.That(s.Scale, Is.Null);
            Assert.That(s.Json, Is.False);
        }

        [TestCase(new[] { "probe" }, "probe is missing its argument <IN>")]
        [TestCase(new[] { "probe", "a", "b", "c" }, "unexpected argument 'c'; probe takes <IN> [EXTRA]")]
        [TestCase(new[] { "probe", "a", "--scale" }, "--scale: needs a value, <X>")]
        [TestCase(new[] { "probe", "a", "--json=yes" }, "--json is a switch: it takes no value")]
        [TestCase(new[] { "probe", "a", "--scael", "2" }, "unknown option '--scael'; did you mean --scale?")]
        [TestCase(new[] { "probe", "a", "--cache-tokens", "1e3" }, "--cache-tokens: '1e3' is not a value this flag takes")]
        [TestCase(new[] { "prob", "a" }, "unknown command 'prob'; did you mean sim probe?")]
        public void MistakesAreRefusedWithOneLineNamingTheFix(string[] args, string expected)
        {
            string message = Refusal(args);
            Assert.That(message, Does.StartWith(CommandLineApp.Source + ": ").And.Contain(expected));
        }

        [Test]
        public void HelpListsArgumentsThenTheSceneFlagsBeforeTheCommandsOwn()
        {
            var (code, stdout, _) = CliRunner.Run("run", "--help");
            Assert.That(code, Is.EqualTo(0));
            string[] lines = stdout.Replace("\r", "").Split('\n');
            Assert.That(lines[0], Is.EqualTo("DESCRIPTION:"));
            Assert.That(lines, Does.Contain("    sim run <SCENE> [OPTIONS]"));
            int help = Array.FindIndex(lines, l => l.StartsWith("    -h, --help ", StringComparison.Ordinal));
            Assert.That(lines[help + 1], Does.StartWith("        --trace <PATH> ").And.Contain("Trace file replacing the scene's workload"),
                "SceneSettings' flags come first, without the descriptions' full stops");
            Assert.That(Array.FindIndex(lines, l => l.Contains("--set <KEY=VALUE>")), Is.LessThan(Array.FindIndex(lines, l => l.Contains("--time-scale <X>"))));
        }

        [Test]
        public void HelpPrintsBracketsInDescriptionsAsWritten()
        {
            // Spectre.Console.Cli read descriptions as markup, and worker's "[,password=...]" made its help fail.
            var (code, stdout, stderr) = CliRunner.Run("worker", "--help");
            Assert.That(code, Is.EqualTo(0), stderr);
            Assert.That(stdout, Does.Contain("(host:port[,password=...])"));
        }

        [Test]
        public void TheJitBuildRunsEveryCommandItself()
        {
            // Only the ahead-of-time compiled binary is built with the switch off.
            Assert.That(JitCommands.IsAvailable, Is.True);
        }

        [Test]
        public void AHandOffWithoutTheJitBuildBesideIsOneLine()
        {
            // The test host has no jit/ folder beside it, as a native binary copied out of its publish folder would not.
            var e = Assert.Throws<SimInputException>(() => JitCompanion.Run("sim worker"))!;
            Assert.That(e.Message, Does.StartWith(CommandLineApp.Source + ": sim worker runs on the .NET runtime").And.Contain("-p:Aot=true"));
        }

        [Test]
        public void AGroupWithoutItsCommandPrintsItsUsageAndFails()
        {
            var (code, stdout, _) = CliRunner.Run("trace");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stdout, Does.Contain("sim trace [OPTIONS] <COMMAND>").And.Contain("stats <PATH>"));
        }
    }
}
