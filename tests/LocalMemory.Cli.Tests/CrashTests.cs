using System.Text.Json;

namespace LocalMemory.Cli.Tests;

/// <summary>kill -9 of `localmem serve` in the middle of a stream of adds: every acknowledged add survives.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly Localmem _cli = new();

    /// <summary>Rounds of start, stream, kill: 4 in the default run; scripts/stress.sh sets LOCALMEM_KILL_ROUNDS=20.</summary>
    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("LOCALMEM_KILL_ROUNDS"), out var n) ? n : 4;

    [SkippableFact]
    public async Task Acknowledged_adds_survive_SIGKILL_at_random_moments()
    {
        Skip.If(OperatingSystem.IsWindows(), "kill -9 is a POSIX signal");
        var acknowledged = new List<string>();
        var random = new Random(20261124);
        for (var round = 0; round < Rounds; round++)
        {
            using var server = McpHarness.StartRaw(_cli.Home, daemon: false); // the server is the engine: killing it kills the work
            await server.Send(McpHarness.Initialize);
            await server.Response(1, TimeSpan.FromSeconds(60));
            await server.Send(McpHarness.Initialized);
            // The clock starts at the first acknowledged add (the model loads first), so every kill lands mid-stream.
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 1500));
            Task? killer = null;
            try
            {
                for (var i = 0; ; i++)
                {
                    var text = $"Round {round} write {i}: cache node c{round}-{i} holds shard {i % 16}";
                    await server.Send(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 100 + i, method = "tools/call", @params = new { name = "add_memory", arguments = new { text, infer = false } } }));
                    var response = await server.Response(100 + i, TimeSpan.FromSeconds(30));
                    Assert.False(response.GetProperty("result").TryGetProperty("isError", out var e) && e.GetBoolean(), response.ToString());
                    acknowledged.Add(text);
                    killer ??= Task.Delay(killAfter).ContinueWith(_ => server.Kill(), TaskScheduler.Default);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
            {
                // stdout closed: the kill landed
            }
            if (killer is not null) await killer;
            await server.WaitForExitAsync();
        }

        await AssertStoredAndHealthy(acknowledged);
    }

    /// <summary>With the daemon, the engine is the daemon: kill -9 it while one `localmem serve` streams adds. The call
    /// it was answering gets an error, the next one starts a new daemon, and every acknowledged add is kept.</summary>
    [SkippableFact]
    public async Task Acknowledged_adds_survive_SIGKILL_of_the_daemon_and_the_next_call_recovers()
    {
        Skip.If(OperatingSystem.IsWindows(), "kill -9 is a POSIX signal");
        var acknowledged = new List<string>();
        var random = new Random(20261125);
        using var server = McpHarness.StartRaw(_cli.Home, daemon: true);
        await server.Send(McpHarness.Initialize);
        await server.Response(1, TimeSpan.FromSeconds(60));
        await server.Send(McpHarness.Initialized);
        var kills = 0;
        var sinceKill = 0;
        var killAt = DateTime.UtcNow + TimeSpan.FromMilliseconds(random.Next(200, 1500));
        for (var i = 0; kills < Rounds || sinceKill < 5; i++)
        {
            var text = $"Daemon round {kills} write {i}: cache node d{kills}-{i} holds shard {i % 16}";
            await server.Send(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 100 + i, method = "tools/call", @params = new { name = "add_memory", arguments = new { text, infer = false } } }));
            var response = await server.Response(100 + i, TimeSpan.FromSeconds(60));
            if (response.TryGetProperty("error", out var error))
            {
                Assert.Contains("daemon stopped", error.GetProperty("message").GetString(), StringComparison.Ordinal); // the call it was answering
                continue;
            }
            Assert.False(response.GetProperty("result").TryGetProperty("isError", out var e) && e.GetBoolean(), response.ToString());
            acknowledged.Add(text);
            sinceKill++;
            if (kills < Rounds && DateTime.UtcNow >= killAt && await Localmem.DaemonPid(_cli) is { } pid)
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
                kills++;
                sinceKill = 0;
                killAt = DateTime.UtcNow + TimeSpan.FromMilliseconds(random.Next(200, 1500));
            }
        }
        server.StandardInput.Close();
        await server.WaitForExitAsync();
        await AssertStoredAndHealthy(acknowledged);
    }

    private async Task AssertStoredAndHealthy(List<string> acknowledged)
    {
        Assert.NotEmpty(acknowledged);
        var stored = new HashSet<string?>();
        for (var page = 1; ; page++)
        {
            var list = await _cli.Process("list", "--json", "--page-size", "500", "--page", $"{page}", "--all-projects");
            var results = list.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("memory").GetString()).ToList();
            if (results.Count == 0) break;
            stored.UnionWith(results);
        }
        Assert.All(acknowledged, text => Assert.Contains(text, stored));
        var doctor = await _cli.Process("doctor", "--json");
        var checks = doctor.Json.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.True(checks["database"].GetProperty("ok").GetBoolean(), checks["database"].ToString());
        Assert.True(checks["indexes"].GetProperty("ok").GetBoolean(), checks["indexes"].ToString());
    }

    public void Dispose() => _cli.Dispose();
}
