using System.Text.Json;

namespace LocalMemory.Cli.Tests;

/// <summary>A catalogue of bad input over MCP and over the CLI: each gets a clear error that names the problem,
/// nothing stored changes, and the server keeps serving.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly Localmem _cli = new();

    private static readonly string Long = new('x', 9000);
    private static readonly string DeepFilter = string.Concat(Enumerable.Repeat("""{"AND":[""", 12)) + """{"user_id":"a"}""" + new string(']', 12).Replace("]", "]}", StringComparison.Ordinal);

    /// <summary>(tool, arguments as JSON, a fragment the error must contain)</summary>
    public static readonly (string Tool, string Args, string Error)[] McpCases =
    [
        ("add_memory", """{"text": ""}""", "text is empty"),
        ("add_memory", """{"text": "   "}""", "text is empty"),
        ("add_memory", $$"""{"text": "{{Long}}"}""", "the limit is 8000"),
        ("add_memory", """{"text": "nul\u0000inside"}""", "NUL character"),
        ("add_memory", """{"text": 42}""", "argument 'text' must be string"),
        ("add_memory", """{"messages": "hello"}""", "argument 'messages' must be array"),
        ("add_memory", """{"messages": []}""", "messages is empty"),
        ("add_memory", """{"messages": [{"role": "robot", "content": "x y z"}]}""", "role must be user, assistant or system"),
        ("add_memory", """{"messages": [{"role": "system", "content": "be nice"}]}""", "only system messages"),
        ("add_memory", """{"text": "a", "messages": [{"role": "user", "content": "b"}]}""", "either text or messages"),
        ("add_memory", """{"text": "fine", "metadata": "not json"}""", "metadata must be a JSON object"),
        ("add_memory", """{"text": "fine", "metadata": [1, 2]}""", "metadata must be a JSON object"),
        ("add_memory", """{"text": "fine", "metadata": {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}}""", "nested deeper"),
        ("add_memory", $$$"""{"text": "fine", "metadata": {"blob": "{{{new string('y', 17000)}}}"}}""", "bytes of JSON"),
        ("add_memory", """{"text": "fine", "metadata": {"user_id": "mallory"}}""", "cannot hold 'user_id'"),
        ("add_memory", """{"text": "fine", "scope": "everywhere"}""", "scope is 'project' or 'global'"),
        ("add_memory", """{"text": "fine", "user_id": ""}""", "user_id is empty"),
        ("add_memory", $$"""{"text": "fine", "user_id": "{{new string('u', 300)}}"}""", "longer than 256"),
        ("add_memory", """{"text": "fine", "agent_id": "bell\u0007"}""", "control characters"),
        ("add_memory", """{"text": "fine", "colour": "red"}""", "unknown argument 'colour'"),
        ("add_memory", """{"text": "fine", "infer": "yes"}""", "argument 'infer' must be boolean"),
        ("add_memory", """{"text": "fine", "infer": false, "run_id": 12345678901234567890}""", "argument 'run_id' must be string"),
        ("search_memories", """{}""", "missing required argument 'query'"),
        ("search_memories", """{"query": ""}""", "query is empty"),
        ("search_memories", """{"query": "x", "limit": 0}""", "limit must be between 1 and 100"),
        ("search_memories", """{"query": "x", "limit": -5}""", "limit must be between 1 and 100"),
        ("search_memories", """{"query": "x", "limit": 1e30}""", "out of range"),
        ("search_memories", """{"query": "x", "limit": 2.5}""", "argument 'limit' must be integer"),
        ("search_memories", """{"query": "x", "threshold": 2}""", "threshold is a cosine similarity"),
        ("search_memories", """{"query": "x", "threshold": "high"}""", "argument 'threshold' must be number"),
        ("search_memories", """{"query": "x", "filters": {"colour": "red"}}""", "unknown filter field 'colour'"),
        ("search_memories", """{"query": "x", "filters": {"user_id": {"like": "x%"}}}""", "unknown operator 'like'"),
        ("search_memories", """{"query": "x", "filters": "{\"AND\": []}"}""", "non-empty array"),
        ("search_memories", """{"query": "x", "filters": {"metadata.x'; drop table memories; --": 1}}""", "bad metadata key"),
        ("search_memories", """{"query": "x", "filters": {"created_at": {"gt": "yesterday"}}}""", "ISO 8601"),
        ("search_memories", $$$"""{"query": "x", "filters": {{{DeepFilter}}}}""", "nested deeper"),
        ("search_memories", """{"query": "x", "filters": {"agent_id": {"in": "a"}}}""", "takes an array"),
        ("get_memories", """{"page": 0}""", "page starts at 1"),
        ("get_memories", """{"page_size": 1000}""", "page_size must be between 1 and 500"),
        ("get_memories", """{"page": 2147483647, "page_size": 500}""", "out of range"),
        ("get_memory", """{"memory_id": ""}""", "memory_id is empty"),
        ("get_memory", """{"memory_id": "no-such-memory"}""", "does not exist"),
        ("update_memory", """{"memory_id": "no-such-memory"}""", "give text or metadata"),
        ("update_memory", """{"memory_id": "no-such-memory", "text": "x"}""", "does not exist"),
        ("delete_memory", """{"memory_id": "no-such-memory"}""", "does not exist"),
        ("delete_entities", """{}""", "at least one of"),
        ("list_events", """{"status": "DONE"}""", "status is PENDING"),
        ("list_events", """{"since": "last week"}""", "since must be an ISO 8601"),
        ("get_event_status", """{"event_id": "no-such-event"}""", "does not exist"),
        ("list_entities", """{"page_size": -1}""", "page_size must be between"),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_bad_call_over_MCP_gets_a_named_error_changes_nothing_and_the_server_keeps_serving(bool daemon)
    {
        Assert.True(McpCases.Length >= 40);
        await using var client = await McpHarness.Connect(_cli.Home, daemon: daemon);
        await client.Call("add_memory", new { text = "The one memory that must survive", infer = false });
        foreach (var (tool, args, error) in McpCases)
        {
            var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(args)!;
            var result = await client.CallToolAsync(tool, arguments);
            var text = McpHarness.Text(result);
            Assert.True(result.IsError == true, $"{tool} {args[..Math.Min(args.Length, 80)]} should fail, got: {text}");
            Assert.Contains(error, text, StringComparison.Ordinal);
        }
        var all = await client.Call("get_memories", new { });
        Assert.Equal(1, all.GetProperty("total").GetInt32());
        Assert.Equal("The one memory that must survive", all.GetProperty("results")[0].GetProperty("memory").GetString());
        Assert.Equal(1, (await client.Call("list_events", new { })).GetProperty("total").GetInt32()); // no event for a refused call
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SQL_looking_strings_are_only_values(bool daemon)
    {
        await using var client = await McpHarness.Connect(_cli.Home, daemon: daemon);
        await client.Call("add_memory", new { text = "Robert'); DROP TABLE memories;-- is a test user name", infer = false, metadata = new { note = "' OR '1'='1" } });
        var none = await client.Call("search_memories", new { query = "x", filters = new { user_id = "x' OR '1'='1" } });
        Assert.Equal(0, none.GetProperty("results").GetArrayLength());
        var byMetadata = await client.Call("get_memories", new { filters = JsonDocument.Parse("""{"metadata.note": "' OR '1'='1"}""").RootElement });
        Assert.Equal(1, byMetadata.GetProperty("total").GetInt32());
        Assert.Equal(1, (await client.Call("get_memories", new { })).GetProperty("total").GetInt32());
    }

    public static TheoryData<string[], string> CliCases() => new()
    {
        { ["add", ""], "text is empty" },
        { ["add"], "give the text to remember" },
        { ["add", "x", "--metadata", "[1]"], "--metadata must be a JSON object" },
        { ["add", "x", "--metadata", """{"a":"""], "--metadata is not valid JSON" },
        { ["add", "x", "--expires", "someday"], "expiration_date must be an ISO 8601" },
        { ["add", "--file", "/no/such/file.txt"], "does not exist" },
        { ["list", "--filters", "{bad"], "filters are not valid JSON" },
        { ["list", "--page", "0"], "page starts at 1" },
        { ["list", "--page-size", "100000"], "page_size must be between" },
        { ["list", "--page", "abc"], "abc" },
        { ["search", ""], "query is empty" },
        { ["search", "x", "--limit", "0"], "limit must be between" },
        { ["search", "x", "--threshold", "5"], "threshold is a cosine similarity" },
        { ["get", "no-such-memory"], "does not exist" },
        { ["update", "no-such-memory"], "give text or metadata" },
        { ["delete-all"], "run again with --yes" },
        { ["events", "--since", "soon"], "since must be an ISO 8601" },
        { ["reindex", "--model", "gpt-9"], "unknown model 'gpt-9'" },
        { ["setup", "vim"], "vim" },
    };

    [Theory]
    [MemberData(nameof(CliCases))]
    public async Task Every_bad_command_line_exits_1_with_a_message_on_stderr(string[] args, string error)
    {
        var result = await _cli.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(error, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    /// <summary>The same command lines as a real process, the verbs the daemon runs going through it.</summary>
    [Theory]
    [MemberData(nameof(CliCases))]
    public async Task Every_bad_command_line_exits_1_through_the_daemon_too(string[] args, string error)
    {
        var result = await _cli.Process(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(error, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("running in this process instead", result.Err, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
