namespace LocalMemory.Cli.Tests;

/// <summary>The hook as clients run it: the installed program, stdin from a pipe, with and without the daemon. Nothing
/// that goes wrong may fail or block the client's turn: exit 0, nothing on stdout but the client's JSON.</summary>
public sealed class HookProcessTests : IDisposable
{
    private readonly Localmem _cli = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_hook_answers_through_the_daemon_or_alone_and_never_fails_the_turn(bool daemon)
    {
        _cli.Daemon = daemon;
        Assert.Equal(0, (await _cli.Process("add", "The api service stores its data in Postgres 16.", "--category", "decision")).ExitCode);
        var start = await _cli.ProcessWithInput("""{"session_id":"one","hook_event_name":"SessionStart","source":"startup"}""", "hook", "session-start", "--agent", "codex");
        Assert.Equal(0, start.ExitCode);
        Assert.Contains("Postgres 16", start.Json.GetProperty("hookSpecificOutput").GetProperty("additionalContext").GetString(), StringComparison.Ordinal);
        Assert.Equal(daemon, await Localmem.DaemonPid(_cli) is not null);

        foreach (var (stdin, args) in new (string, string[])[]
        {
            ("this is not JSON", ["hook", "prompt", "--agent", "claude"]),
            ("", ["hook", "stop", "--agent", "codex"]),
            ("{}", ["hook", "no-such-event", "--agent", "codex"]),
            ("{}", ["hook", "prompt", "--agent", "cursor"]),
            ("{}", ["hook"]),
            ("{}", ["hook", "stop", "--agent", "codex", "--bogus"]),
        })
        {
            var result = await _cli.ProcessWithInput(stdin, args);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("", result.Out);
        }

        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "config.json"), "{ not json");
        var broken = await _cli.ProcessWithInput("""{"session_id":"one","prompt":"Which database do we use?"}""", "hook", "prompt", "--agent", "codex");
        Assert.Equal(0, broken.ExitCode);
        Assert.Equal("", broken.Out);
        Assert.Contains("config.json", broken.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_is_not_a_database_leaves_the_turn_alone()
    {
        _cli.Daemon = false;
        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "memory.db"), "not a database at all, just text that is long enough to be a header");
        foreach (var hook in new[] { "session-start", "prompt", "stop", "pre-compact" })
        {
            var result = await _cli.ProcessWithInput("""{"session_id":"x","prompt":"Which database do we use?","last_assistant_message":"Postgres."}""", "hook", hook, "--agent", "claude");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("", result.Out);
            Assert.Contains("localmem hook", result.Err, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _cli.Dispose();
}
