using System;
using System.IO;
using Sim.Headless.Studies;

namespace Sim.Headless.Cluster
{
    /// <summary>
    /// The output folder's <c>points/</c>: each point's result as it arrives, named by its grid index and the digest of
    /// its job, so <c>--resume</c> takes only points whose scene, overrides and trace are unchanged.
    /// </summary>
    public sealed class PointStore
    {
        readonly string _dir;

        public PointStore(string outDir)
        {
            _dir = Path.Combine(outDir, "points");
        }

        /// <summary>Forgets an earlier run's points (a run without <c>--resume</c>).</summary>
        public void Clear()
        {
            if (!Directory.Exists(_dir)) return;
            foreach (string file in Directory.EnumerateFiles(_dir, "*.point")) File.Delete(file);
        }

        public PointResult? Load(int index, string digest)
        {
            string path = PathOf(index, digest);
            if (!File.Exists(path)) return null;
            try
            {
                return PointResultCodec.Decode(File.ReadAllBytes(path));
            }
            catch (System.Text.Json.JsonException)
            {
                return null; // unreadable: run the point again
            }
        }

        public void Save(int index, string digest, byte[] result)
        {
            Directory.CreateDirectory(_dir);
            string path = PathOf(index, digest);
            string temp = path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temp, result);
            File.Move(temp, path, overwrite: true);
        }

        string PathOf(int index, string digest) => Path.Combine(_dir, index.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + "-" + digest.Substring(0, 16) + ".point");
    }
}
