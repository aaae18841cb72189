using System.Text.Json;

namespace LocalMemory.Cli.Tests;

/// <summary>`localmem serve` as agents meet it: a real child process spoken to over stdio by an MCP client.</summary>
public sealed class McpServerTests : IDisposable
{
    private readonly Localmem _cli = new();

    private static readonly string[] Decisions =
    [
        "Auth uses JWT access tokens with Redis-backed refresh tokens.",
        "Postgres is the primary database.",
        "any() is banned in TypeScript.",
    ];

    private static readonly (string Question, string Expected)[] Questions =
    [
        ("What database are we using?", "Postgres is the primary database."),
        ("How do we handle auth?", "Auth uses JWT access tokens with Redis-backed refresh tokens."),
        ("What is banned in our TypeScript?", "any() is banned in TypeScript."),
    ];

    [Fact]
    public async Task Decisions_stored_by_one_session_are_found_first_by_the_next()
    {
        await using (var before = await McpHarness.Connect(_cli.Home))
            foreach (var (question, expected) in Questions)
            {
                var results = (await before.Call("search_memories", new { query = question })).GetProperty("results");
                Assert.DoesNotContain(results.EnumerateArray(), r => r.GetProperty("memory").GetString() == expected);
            }

        await using (var first = await McpHarness.Connect(_cli.Home, "claude-code"))
            foreach (var decision in Decisions)
            {
                var added = await first.Call("add_memory", new { text = decision, infer = false });
                Assert.Equal("ADD", added.GetProperty("results")[0].GetProperty("event").GetString());
            }

        await using var fresh = await McpHarness.Connect(_cli.Home, "codex");
        foreach (var (question, expected) in Questions)
        {
            var top = (await fresh.Call("search_memories", new { query = question })).GetProperty("results")[0];
            Assert.Equal(expected, top.GetProperty("memory").GetString());
            Assert.Equal("claude-code", top.GetProperty("app_id").GetString());
        }
    }

    [Fact]
    public async Task Two_servers_at_once_see_each_others_memories()
    {
        await using var codex = await McpHarness.Connect(_cli.Home, "codex");
        await using var cursor = await McpHarness.Connect(_cli.Home, "Cursor");
        await codex.Call("add_memory", new { text = "The API gateway is Envoy", infer = false });
        await cursor.Call("add_memory", new { text = "Feature flags live in LaunchDarkly", infer = false });

        var seenByCursor = (await cursor.Call("search_memories", new { query = "Which API gateway do we run?" })).GetProperty("results")[0];
        Assert.Equal(("The API gateway is Envoy", "codex"), (seenByCursor.GetProperty("memory").GetString(), seenByCursor.GetProperty("app_id").GetString()));
        var seenByCodex = (await codex.Call("search_memories", new { query = "Where are feature flags?" })).GetProperty("results")[0];
        Assert.Equal(("Feature flags live in LaunchDarkly", "cursor"), (seenByCodex.GetProperty("memory").GetString(), seenByCodex.GetProperty("app_id").GetString()));
    }

    [Fact]
    public async Task Initialize_gives_the_memory_habit_and_the_eleven_tools()
    {
        await using var client = await McpHarness.Connect(_cli.Home);
        Assert.Contains("search_memories", client.ServerInstructions, StringComparison.Ordinal);
        Assert.Contains("infer=false", client.ServerInstructions, StringComparison.Ordinal);
        var tools = await client.ListToolsAsync();
        Assert.Equal(
            ["add_memory", "delete_all_memories", "delete_entities", "delete_memory", "get_event_status", "get_memories", "get_memory", "list_entities", "list_events", "search_memories", "update_memory"],
            tools.Select(t => t.Name).Order());
        Assert.All(tools, t => Assert.True(t.Description!.Length <= 120, $"{t.Name}: keep descriptions short"));
    }

    [Fact]
    public async Task Every_tool_works_and_reports_errors_the_model_can_read()
    {
        await using var client = await McpHarness.Connect(_cli.Home, "codex");
        var added = await client.Call("add_memory", new { text = "Releases are cut on Thursdays", infer = false, metadata = new { team = "platform" }, agent_id = "planner", run_id = "r1" });
        var id = added.GetProperty("results")[0].GetProperty("id").GetString()!;
        var eventId = added.GetProperty("event_id").GetString()!;
        await client.Call("add_memory", new { messages = new[] { new { role = "user", content = "The staging database is reset every night" } }, infer = false, scope = "global" });

        Assert.Equal("Releases are cut on Thursdays", (await client.Call("get_memory", new { memory_id = id })).GetProperty("memory").GetString());
        var page = await client.Call("get_memories", new { filters = JsonDocument.Parse("""{"metadata.team":"platform"}""").RootElement, page = 1, page_size = 10 });
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        Assert.Equal(2, (await client.Call("get_memories", new { page_size = 1 })).GetProperty("total").GetInt32());

        var updated = await client.Call("update_memory", new { memory_id = id, text = "Releases are cut on Wednesdays" });
        Assert.Equal("Releases are cut on Wednesdays", updated.GetProperty("memory").GetString());
        var entities = (await client.Call("list_entities", new { })).GetProperty("results");
        Assert.Contains(entities.EnumerateArray(), e => e.GetProperty("type").GetString() == "APP" && e.GetProperty("id").GetString() == "codex");
        Assert.Equal("SUCCEEDED", (await client.Call("get_event_status", new { event_id = eventId })).GetProperty("status").GetString());
        Assert.Equal(1, (await client.Call("list_events", new { event_type = "UPDATE" })).GetProperty("total").GetInt32());

        Assert.Equal(id, (await client.Call("delete_memory", new { memory_id = id })).GetProperty("deleted").GetProperty("id").GetString());
        Assert.Contains("does not exist", await client.CallError("get_memory", new { memory_id = id }), StringComparison.Ordinal);
        Assert.Contains("does not exist", await client.CallError("update_memory", new { memory_id = id, text = "x" }), StringComparison.Ordinal);
        Assert.Contains("does not exist", await client.CallError("delete_memory", new { memory_id = id }), StringComparison.Ordinal);
        Assert.Contains("does not exist", await client.CallError("get_event_status", new { event_id = "nope" }), StringComparison.Ordinal);
        Assert.Contains("unknown filter field 'colour'", await client.CallError("search_memories", new { query = "x", filters = new { colour = "red" } }), StringComparison.Ordinal);
        Assert.Contains("unknown operator 'like'", await client.CallError("get_memories", new { filters = new { agent_id = new { like = "x" } } }), StringComparison.Ordinal);
        Assert.Contains("limit is", await client.CallError("add_memory", new { text = new string('x', 9000), infer = false }), StringComparison.Ordinal);
        Assert.Contains("text is empty", await client.CallError("add_memory", new { text = "   " }), StringComparison.Ordinal);
        Assert.Contains("scope is 'project' or 'global'", await client.CallError("add_memory", new { text = "x", scope = "everywhere" }), StringComparison.Ordinal);
        Assert.Contains("at least one", await client.CallError("delete_entities", new { }), StringComparison.Ordinal);
        Assert.Contains("page_size must be between", await client.CallError("list_entities", new { page_size = 0 }), StringComparison.Ordinal);
        Assert.Contains("status is PENDING", await client.CallError("list_events", new { status = "DONE" }), StringComparison.Ordinal);

        Assert.Equal(0, (await client.Call("delete_entities", new { run_id = "nothing-here", user_id = "dev" })).GetProperty("deleted").GetInt32());
        Assert.Equal(1, (await client.Call("delete_all_memories", new { })).GetProperty("deleted").GetInt32());
        Assert.Equal(0, (await client.Call("get_memories", new { })).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Malformed_lines_and_wrong_argument_types_leave_the_server_serving()
    {
        using var server = McpHarness.StartRaw(_cli.Home);
        var timeout = TimeSpan.FromSeconds(60);
        await server.Send(McpHarness.Initialize);
        Assert.Equal("localmem", (await server.Response(1, timeout)).GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        await server.Send(McpHarness.Initialized);
        await server.Send("this is not json");
        await server.Send("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_memory","arguments":{"text":42}}}""");
        var wrongType = (await server.Response(2, timeout)).GetProperty("result");
        Assert.True(wrongType.GetProperty("isError").GetBoolean());
        Assert.Contains("argument 'text' must be string", wrongType.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        await server.Send("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search_memories","arguments":{"query":"x","limit":1e300,"bogus":1}}}""");
        Assert.True((await server.Response(3, timeout)).GetProperty("result").GetProperty("isError").GetBoolean());
        await server.Send("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"add_memory","arguments":{"text":"lone \ud800 surrogate"}}}""");
        var surrogate = await server.Response(5, timeout); // refused: as a JSON-RPC error (invalid JSON text) or a tool error
        Assert.True(surrogate.TryGetProperty("error", out _) || surrogate.GetProperty("result").GetProperty("isError").GetBoolean(), surrogate.ToString());
        await server.Send("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"add_memory","arguments":{"text":"Still serving after bad input","infer":false}}}""");
        Assert.False((await server.Response(4, timeout)).GetProperty("result").TryGetProperty("isError", out var e) && e.GetBoolean());

        server.StandardInput.Close(); // the client goes away: the server exits by itself
        Assert.True(server.WaitForExit(20_000), "serve exits when stdin closes");
        Assert.Equal(0, server.ExitCode);
        var list = await _cli.Run("list", "--json");
        Assert.Equal("Still serving after bad input", list.Json.GetProperty("results")[0].GetProperty("memory").GetString());
    }

    [SkippableFact]
    public async Task SIGTERM_stops_the_server_cleanly_with_acknowledged_writes_on_disk()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is a POSIX signal");
        using var server = McpHarness.StartRaw(_cli.Home);
        var timeout = TimeSpan.FromSeconds(60);
        await server.Send(McpHarness.Initialize);
        await server.Response(1, timeout);
        await server.Send(McpHarness.Initialized);
        await server.Send("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_memory","arguments":{"text":"Acknowledged before SIGTERM","infer":false}}}""");
        await server.Response(2, timeout);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        Assert.True(server.WaitForExit(20_000), "serve exits on SIGTERM");
        Assert.Equal(0, server.ExitCode);
        Assert.Equal(1, (await _cli.Run("list", "--json")).Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_broken_store_does_not_stop_the_server_and_every_tool_says_why()
    {
        await File.WriteAllTextAsync(Path.Combine(_cli.Home, "memory.db"), new string('x', 4096));
        await using var client = await McpHarness.Connect(_cli.Home);
        Assert.Equal(11, (await client.ListToolsAsync()).Count);
        Assert.Contains("not a SQLite database", await client.CallError("search_memories", new { query = "anything" }), StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", await client.CallError("add_memory", new { text = "x", infer = false }), StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
