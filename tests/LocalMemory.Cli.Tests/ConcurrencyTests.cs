using System.Collections.Concurrent;

namespace LocalMemory.Cli.Tests;

/// <summary>Many agents and the CLI on one store at once: nothing lost, nothing locked.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly Localmem _cli = new();

    /// <summary>Adds per process: 25 in the default run; scripts/stress.sh sets LOCALMEM_STRESS_ADDS=250 for the full run.</summary>
    private static int AddsPerProcess => int.TryParse(Environment.GetEnvironmentVariable("LOCALMEM_STRESS_ADDS"), out var n) ? n : 25;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Eight_processes_adding_while_others_search_lose_nothing_and_never_see_a_lock(bool daemon)
    {
        _cli.Daemon = daemon;
        var adds = AddsPerProcess;
        var output = new ConcurrentQueue<string>();
        var failures = new ConcurrentQueue<string>();

        // Four agents: `localmem serve` over MCP, each adding and searching in turn.
        async Task Agent(int agent)
        {
            await using var client = await McpHarness.Connect(_cli.Home, $"agent-{agent}", stderr: output.Enqueue, daemon: daemon);
            for (var i = 0; i < adds; i++)
            {
                var added = await client.CallToolAsync("add_memory", new Dictionary<string, object?> { ["text"] = $"Agent {agent} fact {i}: service a{agent}-{i} listens on port {10000 + i}", ["infer"] = false });
                if (added.IsError == true) failures.Enqueue($"agent {agent} add {i}: {McpHarness.Text(added)}");
                var found = await client.CallToolAsync("search_memories", new Dictionary<string, object?> { ["query"] = $"which port does service a{agent}-{i} use", ["limit"] = 3 });
                if (found.IsError == true) failures.Enqueue($"agent {agent} search {i}: {McpHarness.Text(found)}");
            }
        }

        // Four CLI processes: `localmem add --file`, one transaction per line.
        async Task Cli(int writer)
        {
            var file = Path.Combine(_cli.Home, $"writer-{writer}.txt");
            await File.WriteAllLinesAsync(file, Enumerable.Range(0, adds).Select(i => $"CLI writer {writer} fact {i}: job w{writer}-{i} runs at {i % 24}:00"));
            var result = await _cli.Process("add", "--file", file, "--json");
            output.Enqueue(result.Err);
            if (result.ExitCode != 0) failures.Enqueue($"writer {writer}: exit {result.ExitCode}: {result.Err}");
        }

        // And people searching from the CLI meanwhile.
        using var stop = new CancellationTokenSource();
        async Task Searcher()
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await _cli.Process("search", "which port does the service use", "--json");
                output.Enqueue(result.Err);
                if (result.ExitCode != 0) failures.Enqueue($"search: exit {result.ExitCode}: {result.Err}");
            }
        }

        await _cli.Process("stats"); // create the store first, so that eight processes do not race to create it
        var searcher = Task.Run(Searcher);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Agent(i))).Concat(Enumerable.Range(0, 4).Select(i => Task.Run(() => Cli(i)))));
        await stop.CancelAsync();
        await searcher;

        Assert.Empty(failures);
        Assert.DoesNotContain(output, line => line.Contains("locked", StringComparison.OrdinalIgnoreCase));
        var list = await _cli.Process("list", "--json", "--page-size", "1", "--all-projects");
        Assert.Equal(8 * adds, list.Json.GetProperty("total").GetInt32());
        var doctor = await _cli.Process("doctor", "--json");
        Assert.True(doctor.Json.GetProperty("ok").GetBoolean(), doctor.Out);
    }

    public void Dispose() => _cli.Dispose();
}
