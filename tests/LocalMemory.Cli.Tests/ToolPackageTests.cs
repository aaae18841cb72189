using System.IO.Compression;
using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;

namespace LocalMemory.Cli.Tests;

/// <summary>localmem as a .NET tool: the packages `dotnet pack` made, installed and run from that folder alone, with no network.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly Offline _offline = new();
    private readonly string _source = Offline.Built("LOCALMEM_TOOL_SOURCE", "the folder that dotnet pack wrote the LocalMemory packages to");
    private readonly string _tools = Offline.TempDirectory("localmem-tool-path-");

    [Fact]
    public async Task Dotnet_tool_install_from_the_folder_gives_a_working_localmem()
    {
        var install = await _offline.Run("dotnet", "tool", "install", "--tool-path", _tools, "LocalMemory", "--source", _source);
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.Out}\n{install.Err}");
        var localmem = Path.Combine(_tools, "localmem");

        var doctor = await _offline.Run(localmem, "doctor");
        Assert.True(doctor.ExitCode == 0, $"doctor failed:\n{doctor.Out}\n{doctor.Err}");
        Assert.Contains("ok    model runs", doctor.Out, StringComparison.Ordinal);

        foreach (var (decision, _) in BundleTests.Seed) Assert.Equal(0, (await _offline.Run(localmem, "add", decision)).ExitCode);
        var search = await _offline.Run(localmem, "search", "What database are we using?", "--json");
        Assert.Equal(0, search.ExitCode);
        Assert.Equal("Postgres is the primary database", search.Json.GetProperty("results")[0].GetProperty("memory").GetString());

        // setup names the tool's shim, not the versioned folder behind it, so `dotnet tool update` keeps clients working.
        var config = Path.Combine(_offline.Home, "config.toml");
        Assert.Equal(0, (await _offline.Run(localmem, "setup", "codex", "--config", config)).ExitCode);
        Assert.Equal(localmem, Codex(config)["command"]);
    }

    [Fact]
    public async Task Dnx_runs_the_server_from_the_folder_and_setup_writes_a_dnx_entry_that_starts()
    {
        var dnx = Dnx();
        await using (var client = await McpHarness.ConnectAs(_offline.Home, ["unshare", "-n", dnx, "LocalMemory", "--source", _source, "--yes", "--", "serve"]))
            Assert.Equal("localmem", client.ServerInfo?.Name);

        var config = Path.Combine(_offline.Home, "config.toml");
        var setup = await _offline.Run(dnx, "LocalMemory", "--source", _source, "--yes", "--", "setup", "codex", "--config", config);
        Assert.True(setup.ExitCode == 0, $"setup under dnx failed:\n{setup.Out}\n{setup.Err}");
        var entry = Codex(config);
        Assert.Equal(dnx, entry["command"]);
        var args = ((TomlArray)entry["args"]).Select(a => (string)a!).ToArray();
        Assert.Equal(["LocalMemory", "--version", Version(), "--yes", "--source", _source, "--", "serve"], args);

        await using var fromConfig = await McpHarness.ConnectAs(_offline.Home, ["unshare", "-n", dnx, .. args]);
        Assert.Equal("localmem", fromConfig.ServerInfo?.Name);
    }

    [Fact]
    public void The_package_is_an_MCP_server_with_the_listing_that_NuGet_reads()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_source, $"LocalMemory.{Version()}.nupkg"));
        using (var nuspec = new StreamReader(package.GetEntry("LocalMemory.nuspec")!.Open()))
            Assert.Contains("<packageType name=\"McpServer\" />", nuspec.ReadToEnd(), StringComparison.Ordinal);
        using var server = JsonDocument.Parse(package.GetEntry(".mcp/server.json")!.Open());
        var listed = server.RootElement.GetProperty("packages")[0];
        Assert.Equal("nuget", listed.GetProperty("registryType").GetString());
        Assert.Equal("LocalMemory", listed.GetProperty("identifier").GetString());
        Assert.Equal(Version(), listed.GetProperty("version").GetString());
        Assert.Equal(Version(), server.RootElement.GetProperty("version").GetString());
        Assert.Equal("serve", listed.GetProperty("packageArguments")[0].GetProperty("value").GetString());
    }

    /// <summary>The version of the pointer package in the folder (LocalMemory.VERSION.nupkg).</summary>
    private string Version() =>
        Directory.GetFiles(_source, "LocalMemory.*.nupkg").Select(Path.GetFileName)
            .Select(f => f!["LocalMemory.".Length..^".nupkg".Length]).Single(v => char.IsDigit(v[0]));

    private static TomlTable Codex(string config) =>
        (TomlTable)((TomlTable)TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(config), Setup.TomlContext.Default)!["mcp_servers"])["localmem"];

    /// <summary>dnx sits beside the dotnet that runs these tests (DOTNET_HOST_PATH), or on PATH.</summary>
    private static string Dnx()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "/usr/bin/dotnet";
        var real = new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet;
        var candidates = new[] { Path.Combine(Path.GetDirectoryName(real)!, "dnx") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dnx")));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("dnx was not found beside dotnet or on PATH: install the .NET 10 SDK, which ships it");
    }

    public void Dispose()
    {
        try { Directory.Delete(_tools, recursive: true); }
        catch (IOException) { }
        _offline.Dispose();
    }
}
