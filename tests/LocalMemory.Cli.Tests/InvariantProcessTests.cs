using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Tests;

/// <summary>The store's invariants with real processes interleaving: vectors always belong to their text, a model
/// change elsewhere stops writes instead of mixing models, a long import never blocks an agent and survives kill -9,
/// and a session's first calls all land in its project.</summary>
public sealed class InvariantProcessTests : IDisposable
{
    private readonly Localmem _cli = new();

    [Fact]
    public async Task Two_processes_updating_the_same_memories_500_times_leave_every_vector_made_from_its_text()
    {
        _cli.Daemon = false; // two engines, each with its own store handle and model
        string[] texts = ["Nightly backups run at 01:00 UTC", "Nightly backups run at 03:00 UTC"];
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((await _cli.Process("add", $"{texts[0]} on cluster c{i}", "--json")).Json.GetProperty("results")[0].GetProperty("id").GetString()!);
        async Task Updater(int seed)
        {
            await using var client = await McpHarness.Connect(_cli.Home, $"updater-{seed}", daemon: false);
            var random = new Random(seed);
            for (var n = 0; n < 250; n++)
            {
                var i = random.Next(ids.Count);
                await client.Call("update_memory", new { memory_id = ids[i], text = $"{texts[random.Next(texts.Length)]} on cluster c{i}" });
            }
        }
        await Task.WhenAll(Task.Run(() => Updater(1)), Task.Run(() => Updater(2)));

        // Re-embed every memory here, with the real model, and compare with what the store holds.
        using (var service = MemoryService.Open(LocalMemoryOptions.Resolve(_cli.Home) with { UserId = "dev" }))
            Assert.Empty((await service.CheckVectorsAsync(100, CancellationToken.None)).Disagreeing);
        var doctor = await _cli.Process("doctor", "--deep", "--json");
        var vectors = doctor.Json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "vectors");
        Assert.True(vectors.GetProperty("ok").GetBoolean(), vectors.ToString());
        Assert.Contains("re-embedded 4 memories", vectors.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reindex_with_another_model_while_a_serve_runs_never_mixes_models(bool daemon)
    {
        _cli.Daemon = daemon;
        await using var client = await McpHarness.Connect(_cli.Home, daemon: daemon);
        await client.Call("add_memory", new { text = "Postgres is the primary database", infer = false });
        var reindex = await _cli.Process("reindex", "--model", "minilm");
        Assert.True(reindex.ExitCode == 0, reindex.Err);

        if (daemon)
        {
            // The daemon held arctic-xs: reindex stopped it, and the serve's next call starts one with MiniLM.
            await client.Call("add_memory", new { text = "Redis caches the sessions", infer = false });
            var found = await client.Call("search_memories", new { query = "Which database?" });
            Assert.Equal("Postgres is the primary database", found.GetProperty("results")[0].GetProperty("memory").GetString());
        }
        else
        {
            // This serve loaded arctic-xs; its next add and search stop with the model error instead of mixing.
            Assert.Contains("embedded with model 'minilm'", await client.CallError("add_memory", new { text = "Redis caches the sessions", infer = false }), StringComparison.Ordinal);
            Assert.Contains("embedded with model 'minilm'", await client.CallError("search_memories", new { query = "Which database?" }), StringComparison.Ordinal);
        }
        var doctor = await _cli.Process("doctor", "--deep", "--json");
        Assert.True(doctor.Json.GetProperty("ok").GetBoolean(), doctor.Out);
        Assert.Contains("minilm", doctor.Out, StringComparison.Ordinal);
    }

    /// <summary>Memories in the import file: 10,000 by default; LOCALMEM_IMPORT_SIZE changes it.</summary>
    private static int ImportSize => int.TryParse(Environment.GetEnvironmentVariable("LOCALMEM_IMPORT_SIZE"), out var n) ? n : 10_000;

    [SkippableFact]
    public async Task A_large_import_while_four_serves_add_fails_no_add_and_a_rerun_after_kill_9_imports_each_memory_once()
    {
        Skip.If(OperatingSystem.IsWindows(), "kill -9 is a POSIX signal");
        var file = Path.Combine(_cli.Home, "big.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, ImportSize).Select(Line).Prepend("""{"type":"header","format":"localmem-export","format_version":1}"""));
        await _cli.Process("stats"); // the store exists before the processes race

        using var import = Process.Start(Start("import", file))!;
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var acknowledged = 0;
        async Task Agent(int agent)
        {
            await using var client = await McpHarness.Connect(_cli.Home, $"agent-{agent}");
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var result = await client.CallToolAsync("add_memory", new Dictionary<string, object?> { ["text"] = $"Agent {agent} note {i}: queue q{agent}-{i} drains hourly", ["infer"] = false });
                if (result.IsError == true) lock (failures) failures.Add(McpHarness.Text(result));
                else Interlocked.Increment(ref acknowledged);
                await Task.Delay(50);
            }
        }
        var agents = Enumerable.Range(0, 4).Select(a => Task.Run(() => Agent(a))).ToList();

        // Kill the import once a good part of it is in, then run it again to the end.
        for (var waited = Stopwatch.StartNew(); Imported() < ImportSize / 4 && waited.Elapsed < TimeSpan.FromMinutes(5) && !import.HasExited;) await Task.Delay(200);
        Assert.False(import.HasExited, "the import finished before it could be killed: make LOCALMEM_IMPORT_SIZE larger");
        import.Kill();
        await import.WaitForExitAsync();
        var rerun = await _cli.Process("import", file, "--json");
        await stop.CancelAsync();
        await Task.WhenAll(agents);

        Assert.True(rerun.ExitCode == 0, rerun.Err);
        Assert.Empty(failures);
        Assert.True(acknowledged > 0);
        Assert.Equal(ImportSize, Imported()); // each line of the file exactly once
        var all = await _cli.Process("list", "--json", "--page-size", "1", "--all-projects");
        Assert.Equal(ImportSize + acknowledged, all.Json.GetProperty("total").GetInt32());
        var doctor = await _cli.Process("doctor", "--json");
        Assert.True(doctor.Json.GetProperty("ok").GetBoolean(), doctor.Out);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_first_calls_at_once_in_a_fresh_session_both_land_in_the_project(bool daemon)
    {
        var repo = Directory.CreateDirectory(Path.Combine(_cli.Home, "billing"));
        Directory.CreateDirectory(Path.Combine(repo.FullName, ".git"));
        await File.WriteAllTextAsync(Path.Combine(repo.FullName, ".git", "config"), "[remote \"origin\"]\n\turl = https://github.com/acme/billing.git\n");
        using var server = McpHarness.StartRaw(_cli.Home, daemon, repo.FullName);
        await server.Send(McpHarness.Initialize);
        await server.Response(1, TimeSpan.FromSeconds(60));
        await server.Send(McpHarness.Initialized);
        foreach (var (id, text) in new[] { (2, "Invoices are numbered per year"), (3, "Refunds need two approvals") })
            await server.Send(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = "add_memory", arguments = new { text, infer = false } } }));
        foreach (var response in (await server.Responses([2, 3], TimeSpan.FromSeconds(60))).Values)
        {
            var text = response.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
            var memoryId = JsonDocument.Parse(text).RootElement.GetProperty("results")[0].GetProperty("id").GetString()!;
            var stored = await _cli.Run("get", memoryId, "--json");
            Assert.Equal("github.com/acme/billing", stored.Json.GetProperty("project").GetString());
        }
        server.StandardInput.Close();
        await server.WaitForExitAsync();
    }

    private int Imported()
    {
        using var service = MemoryService.Open(LocalMemoryOptions.Resolve(_cli.Home) with { UserId = "dev" });
        return service.Store.Counts().Memories is var total && total == 0 ? 0
            : service.ListAsync(new ListRequest { PageSize = 1, Filter = MemoryFilter.Parse("""{"app_id": "import-test"}"""), AllProjects = true }, new CallContext("test", null), CancellationToken.None).GetAwaiter().GetResult().Total is var n ? (int)n : 0;
    }

    private ProcessStartInfo Start(params string[] args)
    {
        var info = new ProcessStartInfo(Localmem.Exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["LOCALMEM_HOME"] = _cli.Home;
        info.Environment["LOCALMEM_USER_ID"] = "dev";
        Localmem.SetDaemon(info, daemon: true);
        return info;
    }

    private static string Line(int i) => new JsonObject
    {
        ["type"] = "memory",
        ["version"] = $"001764000000000-{i:000000}-importtest01",
        ["memory"] = new JsonObject
        {
            ["id"] = $"01a00000-0000-7000-8000-{i:000000000000}", ["memory"] = $"Imported fact {i}: service imp-{i} runs on host h{i % 97}",
            ["user_id"] = "dev", ["app_id"] = "import-test", ["hash"] = "x",
            ["created_at"] = "2026-11-01T10:00:00.000Z", ["updated_at"] = "2026-11-01T10:00:00.000Z",
        },
    }.ToJsonString();

    public void Dispose() => _cli.Dispose();
}
