namespace LocalMemory.Cli.Tests;

/// <summary>The real program: exit codes 0/1/2, messages on stderr, only JSON on stdout with --json.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly Localmem _cli = new();

    [Fact]
    public async Task A_wrong_filter_exits_1_with_a_message_on_stderr()
    {
        var result = await _cli.Process("list", "--filters", """{"colour":"red"}""");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown filter field 'colour'", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal); // no stack trace for a user's mistake
    }

    [Fact]
    public async Task An_unknown_memory_exits_1()
    {
        var result = await _cli.Process("get", "01234567-89ab-7def-8123-456789abcdef");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_database_exits_2_and_says_what_to_do()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "memory.db"), new string('x', 4096));
        var result = await _cli.Process("list");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a SQLite database", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_json_stdout_is_only_json()
    {
        var result = await _cli.Process("add", "Deploys go out on Tuesdays", "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ADD", result.Json.GetProperty("results")[0].GetProperty("event").GetString());
    }

    [Fact]
    public async Task Every_verb_has_help()
    {
        foreach (var verb in new[] { "add", "search", "list", "get", "update", "delete", "delete-all", "entities", "history", "events", "stats", "doctor", "reindex", "eval", "serve", "setup", "export", "import", "sync" })
        {
            var result = await _cli.Run(verb, "--help");
            Assert.True(result.ExitCode == 0, $"{verb} --help exited {result.ExitCode}");
            Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _cli.Dispose();
}
