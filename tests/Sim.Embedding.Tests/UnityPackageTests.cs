using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Text.Json;
using NUnit.Framework;
using Sim.Tests.Shared;

namespace Sim.Embedding.Tests
{
    /// <summary>unity/pack.sh's tarball, unpacked: what Package Manager's "Add package from tarball" installs.</summary>
    public class UnityPackageTests
    {
        static readonly string[] Plugins = { "Sim.Core.dll", "YamlDotNet.dll", "MemoryPack.Core.dll" };

        static string _dir = "", _tarball = "", _package = "";

        [OneTimeSetUp]
        public void PackAndUnpack()
        {
            _dir = Path.Combine(TestContext.CurrentContext.TestDirectory, "unity-package-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            var pack = Process.Start(new ProcessStartInfo("bash", new[] { Repository.PathOf("unity", "pack.sh"), "--out", _dir })
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            string stdout = pack.StandardOutput.ReadToEnd(), stderr = pack.StandardError.ReadToEnd();
            pack.WaitForExit();
            Assert.That(pack.ExitCode, Is.EqualTo(0), stderr);
            _tarball = stdout.Trim();
            Assert.That(_tarball, Is.EqualTo(Path.Combine(_dir, "com.llmsim.simulator-0.1.0.tgz")));
            string unpacked = Path.Combine(_dir, "unpacked");
            Directory.CreateDirectory(unpacked);
            using (var gzip = new GZipStream(File.OpenRead(_tarball), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, unpacked, overwriteFiles: false);
            _package = Path.Combine(unpacked, "package");
        }

        [OneTimeTearDown]
        public void RemoveFolder() => Directory.Delete(_dir, true);

        static string Rel(string path) => Path.GetRelativePath(_package, path).Replace('\\', '/');

        [Test]
        public void TheTarballHoldsThePackageUnderPackageWithTheSourcesPluginsAndCatalog()
        {
            Assert.That(Directory.GetDirectories(Path.GetDirectoryName(_package)!).Select(Path.GetFileName), Is.EqualTo(new[] { "package" }), "npm layout: one top folder, package/");
            using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_package, "package.json"))))
                Assert.That(manifest.RootElement.GetProperty("name").GetString(), Is.EqualTo("com.llmsim.simulator"));
            string source = Repository.PathOf("unity", "com.llmsim.simulator");
            foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
                Assert.That(File.ReadAllBytes(Path.Combine(_package, Path.GetRelativePath(source, file))), Is.EqualTo(File.ReadAllBytes(file)), file);
            Assert.That(Directory.GetFiles(Path.Combine(_package, "Plugins"), "*.dll").Select(Path.GetFileName), Is.EquivalentTo(Plugins));
            foreach (string kind in new[] { "models", "hardware" })
            {
                string[] shipped = Directory.GetFiles(Repository.PathOf("scenes", kind), "*.yaml");
                Assert.That(Directory.GetFiles(Path.Combine(_package, "Catalog~", kind)).Select(Path.GetFileName), Is.EquivalentTo(shipped.Select(Path.GetFileName)), kind);
                foreach (string file in shipped)
                    Assert.That(File.ReadAllBytes(Path.Combine(_package, "Catalog~", kind, Path.GetFileName(file))), Is.EqualTo(File.ReadAllBytes(file)), file);
            }
        }

        [Test]
        public void ThePluginsAreNetStandard21Builds()
        {
            foreach (string dll in Plugins)
            {
                using var pe = new PEReader(File.OpenRead(Path.Combine(_package, "Plugins", dll)));
                MetadataReader metadata = pe.GetMetadataReader();
                string? framework = null;
                foreach (CustomAttributeHandle handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
                {
                    CustomAttribute attribute = metadata.GetCustomAttribute(handle);
                    var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                    if (metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "TargetFrameworkAttribute") continue;
                    BlobReader value = metadata.GetBlobReader(attribute.Value);
                    value.ReadUInt16(); // the prolog
                    framework = value.ReadSerializedString();
                }
                Assert.That(framework, Is.EqualTo(".NETStandard,Version=v2.1"), dll);
            }
        }

        [Test]
        public void TheAssemblyDefinitionsReferenceThePluginsAndEachOther()
        {
            var definitions = Directory.GetFiles(_package, "*.asmdef", SearchOption.AllDirectories)
                .ToDictionary(Rel, path => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());
            Assert.That(definitions.Keys, Is.EquivalentTo(new[] { "Runtime/Sim.Unity.Runtime.asmdef", "Editor/Sim.Unity.Editor.asmdef" }));
            var names = definitions.Values.Select(d => d.GetProperty("name").GetString()).ToHashSet();
            foreach ((string path, JsonElement definition) in definitions)
            {
                Assert.That(definition.GetProperty("overrideReferences").GetBoolean(), Is.True, path);
                Assert.That(definition.GetProperty("precompiledReferences").EnumerateArray().Select(r => r.GetString()), Is.EquivalentTo(Plugins), path + ": every plugin, and only those");
                foreach (JsonElement reference in definition.GetProperty("references").EnumerateArray())
                    Assert.That(names, Does.Contain(reference.GetString()), path + " references an assembly the package defines");
            }
            Assert.That(definitions["Editor/Sim.Unity.Editor.asmdef"].GetProperty("references").EnumerateArray().Select(r => r.GetString()), Is.EqualTo(new[] { "Sim.Unity.Runtime" }));
        }

        [Test]
        public void EveryImportedAssetHasAMetaFileWithItsOwnGuid()
        {
            // An installed tarball is immutable: Unity ignores an asset without a .meta. Folders ending in ~ are not imported.
            var assets = Directory.GetFileSystemEntries(_package, "*", SearchOption.AllDirectories).Select(Rel)
                .Where(rel => !rel.EndsWith(".meta") && !rel.Split('/').Any(part => part.EndsWith("~"))).ToList();
            Assert.That(assets, Does.Contain("Plugins/Sim.Core.dll").And.Contain("Runtime/SimulationDriver.cs").And.Contain("Plugins"));
            var guids = new HashSet<string>();
            foreach (string asset in assets)
            {
                string meta = Path.Combine(_package, asset + ".meta");
                Assert.That(File.Exists(meta), Is.True, asset);
                string guid = File.ReadAllLines(meta).Single(l => l.StartsWith("guid: ")).Substring(6);
                Assert.That(guid, Does.Match("^[0-9a-f]{32}$"), asset);
                Assert.That(guids.Add(guid), Is.True, asset + ": guid " + guid + " is taken");
            }
            Assert.That(File.Exists(Path.Combine(_package, "Catalog~.meta")), Is.False);
            Assert.That(File.ReadAllText(Path.Combine(_package, "Plugins", "Sim.Core.dll.meta")), Does.Contain("PluginImporter:").And.Contain("Any:").And.Contain("enabled: 1"));
        }

        [Test]
        public void SimCoreFromThePluginsFolderFindsThePackagesCatalogWithoutCopying()
        {
            // A scene in a folder with no scenes/ above it, loaded by the Sim.Core the package ships (as the editor
            // loads it: from Plugins/), resolves its model and GPU from the package's Catalog~.
            string sceneDir = Path.Combine(Path.GetTempPath(), "sim-unity-scene-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(sceneDir);
            try
            {
                string scene = Path.Combine(sceneDir, "scene.yaml");
                File.WriteAllText(scene, "name: u\nmodel: llama-2-7b\nhardware: a100-80g\nworkload:\n  synthetic: { requests: 5, arrival: poisson, rate_per_s: 1, prompt_tokens: { dist: uniform, min: 10, max: 20 }, output_tokens: { dist: uniform, min: 2, max: 4 } }\n");
                var context = new AssemblyLoadContext("unity-package", isCollectible: true);
                string plugins = Path.Combine(_package, "Plugins");
                context.Resolving += (ctx, name) =>
                {
                    string candidate = Path.Combine(plugins, name.Name + ".dll");
                    return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
                };
                try
                {
                    Assembly core = context.LoadFromAssemblyPath(Path.Combine(plugins, "Sim.Core.dll"));
                    Assert.That(core.Location, Is.EqualTo(Path.Combine(plugins, "Sim.Core.dll")));
                    object? found = core.GetType("Sim.Core.PerfModel.SpecCatalog")!.GetMethod("FindCatalogDir")!.Invoke(null, new object[] { sceneDir });
                    Assert.That(found, Is.EqualTo(Path.Combine(_package, "Catalog~")));
                    object loaded = core.GetType("Sim.Core.Scenes.SceneLoader")!.GetMethod("Load")!.Invoke(null, new object[] { scene, Array.Empty<string>() })!;
                    Assert.That(loaded.GetType().GetProperty("HardwareId")!.GetValue(loaded), Is.EqualTo("a100-80g"));
                }
                finally
                {
                    context.Unload();
                }
            }
            finally
            {
                Directory.Delete(sceneDir, true);
            }
        }
    }
}
