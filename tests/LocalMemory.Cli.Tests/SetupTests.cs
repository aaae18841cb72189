using System.Text.Json.Nodes;
using LocalMemory.Cli.Setup;

namespace LocalMemory.Cli.Tests;

public sealed class SetupTests : IDisposable
{
    private readonly Localmem _cli = new();

    private const string CodexConfig = """
        # my Codex settings
        model = "o4-mini"
        approval_policy = "on-request"

        [mcp_servers.github]
        command = "github-mcp"
        args = ["--read-only"]
        env = { "GITHUB_TOKEN" = "x" }

        [profiles.fast]
        model = "gpt-5-mini"

        """;

    [Fact]
    public async Task Setup_codex_adds_an_entry_keeps_the_rest_and_a_second_run_changes_nothing()
    {
        var config = Path.Combine(_cli.Home, "codex", "config.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        await File.WriteAllTextAsync(config, CodexConfig);

        var dry = await _cli.Run("setup", "codex", "--config", config, "--dry-run", "--command", "/opt/localmem/bin/localmem");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("[mcp_servers.localmem]", dry.Out, StringComparison.Ordinal);
        Assert.Equal(CodexConfig, await File.ReadAllTextAsync(config)); // dry run writes nothing

        Assert.Equal(0, (await _cli.Run("setup", "codex", "--config", config, "--command", "/opt/localmem/bin/localmem")).ExitCode);
        var written = await File.ReadAllTextAsync(config);
        Assert.StartsWith(CodexConfig, written, StringComparison.Ordinal); // every byte of the old file is kept
        Assert.Contains("command = '/opt/localmem/bin/localmem'\nargs = ['serve']\nstartup_timeout_sec = 20", written, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(config)!, "config.toml.localmem-backup-*"));

        var again = await _cli.Run("setup", "codex", "--config", config, "--command", "/opt/localmem/bin/localmem", "--json");
        Assert.False(again.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(written, await File.ReadAllTextAsync(config));

        var moved = await _cli.Run("setup", "codex", "--config", config, "--command", "/usr/local/bin/localmem");
        Assert.Equal(0, moved.ExitCode);
        var rewritten = await File.ReadAllTextAsync(config);
        Assert.Contains("'/usr/local/bin/localmem'", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("/opt/localmem", rewritten, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(rewritten, @"\[mcp_servers\.localmem\]"));
    }

    [Fact]
    public async Task Setup_refuses_a_broken_config_and_leaves_it_alone()
    {
        var config = Path.Combine(_cli.Home, "config.toml");
        await File.WriteAllTextAsync(config, "model = \n[broken");
        var result = await _cli.Run("setup", "codex", "--config", config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not valid TOML", result.Err, StringComparison.Ordinal);
        Assert.Equal("model = \n[broken", await File.ReadAllTextAsync(config));
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("cursor")]
    public async Task Setup_json_clients_keep_other_servers_and_settings(string client)
    {
        var config = Path.Combine(_cli.Home, client + ".json");
        await File.WriteAllTextAsync(config, """{"theme": "dark", "mcpServers": {"github": {"command": "github-mcp", "args": []}}}""");
        Assert.Equal(0, (await _cli.Run("setup", client, "--config", config, "--command", "/opt/localmem/bin/localmem")).ExitCode);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(config))!;
        Assert.Equal("dark", json["theme"]!.GetValue<string>());
        Assert.Equal("github-mcp", json["mcpServers"]!["github"]!["command"]!.GetValue<string>());
        Assert.Equal("/opt/localmem/bin/localmem", json["mcpServers"]!["localmem"]!["command"]!.GetValue<string>());
        Assert.Equal("serve", json["mcpServers"]!["localmem"]!["args"]![0]!.GetValue<string>());
        var again = await _cli.Run("setup", client, "--config", config, "--command", "/opt/localmem/bin/localmem", "--json");
        Assert.False(again.Json.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task A_server_started_inside_a_repository_scopes_memories_to_it()
    {
        var repo = Directory.CreateDirectory(Path.Combine(_cli.Home, "api"));
        Directory.CreateDirectory(Path.Combine(repo.FullName, ".git"));
        await File.WriteAllTextAsync(Path.Combine(repo.FullName, ".git", "config"), "[remote \"origin\"]\n\turl = git@github.com:acme/api.git\n");
        var elsewhere = Directory.CreateDirectory(Path.Combine(_cli.Home, "web")).FullName;

        await using (var inRepo = await McpHarness.Connect(_cli.Home, "codex", repo.FullName))
        {
            var id = (await inRepo.Call("add_memory", new { text = "The api service uses Postgres", infer = false })).GetProperty("results")[0].GetProperty("id").GetString();
            Assert.Equal("github.com/acme/api", (await inRepo.Call("get_memory", new { memory_id = id })).GetProperty("project").GetString());
            await inRepo.Call("add_memory", new { text = "The user prefers terse answers", infer = false, scope = "global" });
        }
        await using var outside = await McpHarness.Connect(_cli.Home, "codex", elsewhere);
        var results = (await outside.Call("search_memories", new { query = "Which database does the api service use?" })).GetProperty("results");
        Assert.Equal(["The user prefers terse answers"], results.EnumerateArray().Select(r => r.GetProperty("memory").GetString()));
    }

    [Fact]
    public void Setup_launches_the_program_itself_for_an_install_sh_or_bundle_install()
    {
        var command = ServerCommand.ForExecutable("/home/you/.local/lib/localmem/localmem", () => throw new InvalidOperationException("not asked"));
        Assert.Equal("/home/you/.local/lib/localmem/localmem", command.Command);
        Assert.Equal(["serve"], command.Args);
    }

    [Fact]
    public void Setup_launches_the_dotnet_tool_shim_which_survives_updates()
    {
        var tools = Directory.CreateDirectory(Path.Combine(_cli.Home, "tools")).FullName;
        File.WriteAllText(Path.Combine(tools, "localmem"), "");
        var exe = Path.Combine(tools, ".store", "localmemory", "0.1.0", "localmemory.linux-x64", "0.1.0", "tools", "any", "linux-x64", "localmem");
        var command = ServerCommand.ForExecutable(exe, () => null);
        Assert.Equal(Path.Combine(tools, "localmem"), command.Command);
        Assert.Equal(["serve"], command.Args);
    }

    [Fact]
    public void Setup_under_dnx_launches_dnx_pinned_to_this_version_with_the_sources_it_was_given()
    {
        var sdk = Directory.CreateDirectory(Path.Combine(_cli.Home, "dotnet")).FullName;
        File.WriteAllText(Path.Combine(sdk, "dotnet"), "");
        File.WriteAllText(Path.Combine(sdk, "dnx"), "");
        var exe = Path.Combine(_cli.Home, ".nuget", "packages", "localmemory.linux-x64", "0.2.1", "tools", "any", "linux-x64", "localmem");
        string[] parent = [Path.Combine(sdk, "dotnet"), "exec", Path.Combine(sdk, "sdk", "dotnet.dll"), "dnx", "LocalMemory", "--add-source", "pkgs", "-y", "--", "setup", "codex", "--source", "not-dnx"];
        var command = ServerCommand.ForExecutable(exe, () => parent);
        Assert.Equal(Path.Combine(sdk, "dnx"), command.Command);
        Assert.Equal(["LocalMemory", "--version", "0.2.1", "--yes", "--add-source", Path.GetFullPath("pkgs"), "--", "serve"], command.Args);
    }

    public void Dispose() => _cli.Dispose();
}
