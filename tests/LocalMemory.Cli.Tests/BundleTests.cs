namespace LocalMemory.Cli.Tests;

/// <summary>The air-gapped install: the bundle install.sh --bundle wrote, unpacked and installed with no network.</summary>
public sealed class BundleTests : IDisposable
{
    private readonly Offline _offline = new();
    private readonly List<string> _temp = [];

    /// <summary>Three decisions from one `localmem serve`, each found first by a fresh one.</summary>
    internal static readonly (string Decision, string Question)[] Seed =
    [
        ("Postgres is the primary database", "What database are we using?"),
        ("any() is banned in TypeScript here", "Can I use any() in TypeScript?"),
        ("The ETL null-date bug was fixed in PR #47", "Where was the ETL null-date bug fixed?"),
    ];

    [Fact]
    public async Task The_bundle_installs_with_no_network_into_an_empty_prefix_and_home_and_serves()
    {
        var bundle = await Unpack();
        var prefix = Path.Combine(Temp("localmem-bundle-prefix-"), "empty");

        var install = await _offline.Run(Path.Combine(bundle, "install.sh"), "--prefix", prefix);
        Assert.True(install.ExitCode == 0, $"the bundle's install.sh failed:\n{install.Out}\n{install.Err}");
        var localmem = Path.Combine(prefix, "bin", "localmem");

        var doctor = await _offline.Run(localmem, "doctor");
        Assert.True(doctor.ExitCode == 0, $"doctor failed:\n{doctor.Out}\n{doctor.Err}");
        var checks = doctor.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(checks, c => c.StartsWith("ok    model runs", StringComparison.Ordinal));
        Assert.All(checks, c => Assert.StartsWith("ok ", c, StringComparison.Ordinal));
        Assert.Contains(Path.Combine(_offline.Home, ".localmem", "memory.db"), doctor.Out, StringComparison.Ordinal); // the empty HOME's default store

        await using (var first = await McpHarness.ConnectAs(_offline.Home, ["unshare", "-n", localmem, "serve"]))
            foreach (var (decision, _) in Seed)
                await first.Call("add_memory", new { text = decision, infer = false, scope = "global" });
        // A fresh process with its own engine (no daemon), so the decisions come from the file on disk.
        await using var fresh = await McpHarness.ConnectAs(_offline.Home, ["unshare", "-n", localmem, "serve"], new Dictionary<string, string> { ["LOCALMEM_DAEMON"] = "off" });
        foreach (var (decision, question) in Seed)
        {
            var results = (await fresh.Call("search_memories", new { query = question })).GetProperty("results");
            Assert.Equal(decision, results[0].GetProperty("memory").GetString());
        }

        var setup = await _offline.Run(localmem, "setup", "cursor", "--json", "--config", Path.Combine(_offline.Home, "mcp.json"));
        Assert.Equal(0, setup.ExitCode);
        Assert.Contains($"\"command\": \"{Path.Combine(prefix, "lib", "localmem", "localmem")}\"", await File.ReadAllTextAsync(Path.Combine(_offline.Home, "mcp.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("changed")]
    [InlineData("added")]
    [InlineData("missing")]
    public async Task A_tampered_bundle_stops_the_install_and_names_the_file(string tampering)
    {
        var bundle = await Unpack();
        var extension = Directory.GetFiles(Path.Combine(bundle, "lib", "runtimes"), "vec0.*", SearchOption.AllDirectories).Single();
        var relative = Path.GetRelativePath(bundle, extension);
        var named = relative;
        switch (tampering)
        {
            case "changed": await File.AppendAllTextAsync(extension, "x"); break;
            case "missing": File.Delete(extension); break;
            default: named = Path.Combine("lib", "libevil.so"); await File.WriteAllTextAsync(Path.Combine(bundle, named), "not in SHA256SUMS"); break;
        }
        var prefix = Temp("localmem-bundle-prefix-");

        var install = await _offline.Run(Path.Combine(bundle, "install.sh"), "--prefix", prefix);
        Assert.Equal(1, install.ExitCode);
        Assert.Contains($"error: {(tampering == "added" ? "the bundle holds files that SHA256SUMS does not list: " : "")}{named}", install.Err, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(prefix)); // nothing installed
    }

    [Fact]
    public async Task The_bundle_names_every_file_in_its_manifest()
    {
        var bundle = await Unpack();
        var listed = (await File.ReadAllLinesAsync(Path.Combine(bundle, "SHA256SUMS"))).Select(l => l[66..]).Order(StringComparer.Ordinal).ToList();
        var present = Directory.GetFiles(bundle, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bundle, f))
            .Where(f => f != "SHA256SUMS").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(present, listed);
        Assert.Contains("lib/models/arctic-xs/model.onnx", listed);
        Assert.Contains("install.ps1", listed);
        Assert.DoesNotContain(listed, f => f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith(".dbg", StringComparison.Ordinal) || f == "lib/onnxruntime.dll");
    }

    private async Task<string> Unpack()
    {
        var archive = Offline.Built("LOCALMEM_BUNDLE", "the bundle that ./install.sh --bundle FILE writes");
        var dir = Temp("localmem-bundle-");
        var tar = await _offline.Online(["tar", "-xzf", archive, "-C", dir]);
        Assert.True(tar.ExitCode == 0, tar.Err);
        return Directory.GetDirectories(dir).Single();
    }

    private string Temp(string prefix)
    {
        var dir = Offline.TempDirectory(prefix);
        _temp.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var dir in _temp)
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        }
        _offline.Dispose();
    }
}
