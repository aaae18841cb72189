using System.Text.Json.Nodes;
using LocalMemory.Cli.Setup;

namespace LocalMemory.Cli.Tests;

/// <summary>`setup codex|claude --hooks` in a throw-away HOME (the installed program, as users run it): the hooks, the
/// skill and Codex's trust are written beside the user's own settings, a second run changes nothing, --remove puts
/// the files back, and doctor reports it all.</summary>
public sealed class SetupHookTests : IDisposable
{
    private readonly Localmem _cli = new();
    private readonly string _home;

    public SetupHookTests()
    {
        _home = Directory.CreateDirectory(Path.Combine(_cli.Home, "user")).FullName;
        _cli.Environment["HOME"] = _home;
        _cli.Environment["CODEX_HOME"] = Path.Combine(_home, ".codex");
        _cli.Daemon = false;
    }

    private const string CodexToml = """
        # mine
        model = "o4-mini"

        [mcp_servers.github]
        command = "github-mcp"

        """;

    private const string UserHooks = """{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"notify-send done"}]}]}}""";

    private string Read(params string[] path) => File.ReadAllText(Path.Combine([_home, .. path]));

    private Dictionary<string, string?> Snapshot(params string[][] files) =>
        files.ToDictionary(f => Path.Combine(f), f => File.Exists(Path.Combine([_home, .. f])) ? Read(f) : null);

    [Fact]
    public async Task Codex_hooks_skill_and_trust_are_added_once_and_removed_again()
    {
        Directory.CreateDirectory(Path.Combine(_home, ".codex"));
        await File.WriteAllTextAsync(Path.Combine(_home, ".codex", "config.toml"), CodexToml);
        await File.WriteAllTextAsync(Path.Combine(_home, ".codex", "hooks.json"), UserHooks);

        Assert.Equal(0, (await _cli.Process("setup", "codex")).ExitCode); // the MCP entry alone, as before
        var before = Snapshot([".codex", "config.toml"], [".codex", "hooks.json"], [".agents", "skills", "localmem", "SKILL.md"]);

        var dry = await _cli.Process("setup", "codex", "--hooks", "--trust", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("hook session-start --agent codex", dry.Out, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot([".codex", "config.toml"], [".codex", "hooks.json"], [".agents", "skills", "localmem", "SKILL.md"]));

        var untrusted = await _cli.Process("setup", "codex", "--hooks");
        Assert.Contains("/hooks", untrusted.Out, StringComparison.Ordinal); // says how to approve them
        Assert.DoesNotContain("trusted_hash", Read(".codex", "config.toml"), StringComparison.Ordinal);
        Assert.Contains(Checks(await _cli.Process("doctor", "--json")), c => c.Name == "hooks codex" && !c.Ok && c.Detail.Contains("not trusted", StringComparison.Ordinal));

        Assert.Equal(0, (await _cli.Process("setup", "codex", "--hooks", "--trust")).ExitCode);
        var hooks = JsonNode.Parse(Read(".codex", "hooks.json"))!["hooks"]!;
        Assert.Equal("notify-send done", hooks["Stop"]![0]!["hooks"]![0]!["command"]!.GetValue<string>()); // the user's hook stays first
        var stop = hooks["Stop"]![1]!["hooks"]![0]!;
        Assert.EndsWith("hook stop --agent codex", stop["command"]!.GetValue<string>(), StringComparison.Ordinal);
        var config = Read(".codex", "config.toml");
        Assert.StartsWith(before[Path.Combine(".codex", "config.toml")]!, config, StringComparison.Ordinal);
        var key = $"{Path.Combine(_home, ".codex", "hooks.json")}:stop:1:0";
        Assert.Contains($"[hooks.state.\"{key}\"]\ntrusted_hash = \"{CodexTrust.Hash("stop", stop["command"]!.GetValue<string>(), 10)}\"", config, StringComparison.Ordinal);
        Assert.Contains("name: localmem", Read(".agents", "skills", "localmem", "SKILL.md"), StringComparison.Ordinal);
        var doctor = Checks(await _cli.Process("doctor", "--json"));
        Assert.Contains(doctor, c => c.Name == "hooks codex" && c.Ok && c.Detail.EndsWith("trusted", StringComparison.Ordinal));
        Assert.Contains(doctor, c => c.Name == "skill codex" && c.Ok);

        var after = Snapshot([".codex", "config.toml"], [".codex", "hooks.json"], [".agents", "skills", "localmem", "SKILL.md"]);
        var again = await _cli.Process("setup", "codex", "--hooks", "--trust", "--json");
        Assert.False(again.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(after, Snapshot([".codex", "config.toml"], [".codex", "hooks.json"], [".agents", "skills", "localmem", "SKILL.md"]));

        Assert.Equal(0, (await _cli.Process("setup", "codex", "--hooks", "--remove")).ExitCode);
        Assert.Equal(before, Snapshot([".codex", "config.toml"], [".codex", "hooks.json"], [".agents", "skills", "localmem", "SKILL.md"]));
        Assert.False(Directory.Exists(Path.Combine(_home, ".agents", "skills", "localmem")));
        Assert.Equal(0, (await _cli.Process("setup", "codex", "--remove")).ExitCode); // and the MCP entry: the file as the user wrote it
        Assert.Equal(CodexToml, Read(".codex", "config.toml"));
    }

    [Fact]
    public async Task Claude_hooks_and_skill_sit_beside_the_user_settings_and_remove_cleanly()
    {
        Directory.CreateDirectory(Path.Combine(_home, ".claude"));
        var settings = """{"theme":"dark","hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"audit.sh"}]}]}}""";
        await File.WriteAllTextAsync(Path.Combine(_home, ".claude", "settings.json"), settings);

        Assert.Equal(1, (await _cli.Process("setup", "claude", "--hooks", "--trust")).ExitCode); // trust is Codex's
        Assert.Equal(0, (await _cli.Process("setup", "claude", "--hooks")).ExitCode);
        var written = JsonNode.Parse(Read(".claude", "settings.json"))!;
        Assert.Equal("dark", written["theme"]!.GetValue<string>());
        Assert.Equal("audit.sh", written["hooks"]!["PreToolUse"]![0]!["hooks"]![0]!["command"]!.GetValue<string>());
        foreach (var (clientEvent, hook) in HookConfig.Events)
            Assert.EndsWith($"hook {hook} --agent claude", written["hooks"]![clientEvent]![0]!["hooks"]![0]!["command"]!.GetValue<string>(), StringComparison.Ordinal);
        var installed = new FileInfo(Localmem.Exe).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Localmem.Exe;
        Assert.Equal(installed, JsonNode.Parse(Read(".claude.json"))!["mcpServers"]!["localmem"]!["command"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(_home, ".agents", "skills", "localmem", "SKILL.md")));
        Assert.Contains("name: localmem", Read(".claude", "skills", "localmem", "SKILL.md"), StringComparison.Ordinal);
        Assert.False((await _cli.Process("setup", "claude", "--hooks", "--json")).Json.GetProperty("changed").GetBoolean());

        Assert.Equal(0, (await _cli.Process("setup", "claude", "--hooks", "--remove")).ExitCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(settings), JsonNode.Parse(Read(".claude", "settings.json"))));
        Assert.False(File.Exists(Path.Combine(_home, ".claude", "skills", "localmem", "SKILL.md")));
    }

    [Fact]
    public void Codex_trust_hashes_are_the_ones_Codex_computes()
    {
        // Codex 0.169 ran this handler, hooks.json's SessionStart with its default timeout, only with this trusted_hash
        // (found by trying it against the real client; the client tests check localmem's own hooks the same way).
        Assert.Equal("sha256:c4c39f771b648d973998fce01fb38c7210db02e34a07c935d22382eac3a3f486", CodexTrust.Hash("session_start", "/tmp/exp/hook.sh session-start", 600));
        Assert.Equal("session_start", CodexTrust.Snake("SessionStart"));
        Assert.Equal("user_prompt_submit", CodexTrust.Snake("UserPromptSubmit"));
        Assert.Equal("pre_compact", CodexTrust.Snake("PreCompact"));
    }

    [Fact]
    public void Hooks_run_localmem_the_way_it_was_installed_and_are_replaced_when_it_moves()
    {
        // Under dnx the hooks run dnx again, like the MCP entry; localmem's own arguments follow dnx's "--".
        var dnx = new ServerCommand("/usr/share/dotnet/dnx", ["LocalMemory", "--version", "0.2.1", "--yes", "--", "serve"]);
        Assert.Equal("/usr/share/dotnet/dnx LocalMemory --version 0.2.1 --yes -- hook prompt --agent codex", HookConfig.Command(dnx, "prompt", "codex"));

        var root = HookConfig.Apply(HookConfig.Parse(UserHooks, "hooks.json"), dnx, "codex");
        Assert.Equal(HookConfig.Events.Count, HookConfig.Ours(root).Count());
        var tool = new ServerCommand("/home/you/.dotnet/tools/localmem", ["serve"]);
        root = HookConfig.Apply(root, tool, "codex");
        Assert.Equal(HookConfig.Events.Select(e => $"/home/you/.dotnet/tools/localmem hook {e.Hook} --agent codex").Order(),
            HookConfig.Ours(root).Select(o => o.Entry["command"]!.GetValue<string>()).Order());

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(UserHooks), HookConfig.Apply(root, null, "codex")));
        Assert.False(HookConfig.IsOurs(new JsonObject { ["command"] = "dnx SomethingElse -- hook prompt --agent codex" }));
    }

    private static List<(string Name, bool Ok, string Detail)> Checks(CliResult doctor) =>
        [.. doctor.Json.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("ok").GetBoolean(), c.GetProperty("detail").GetString()!))];

    public void Dispose() => _cli.Dispose();
}
