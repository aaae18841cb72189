using System.Text.Json;
using CsCheck;

namespace LocalMemory.Cli.Tests;

/// <summary>Generated arguments for every tool, over a real `localmem serve`: each call answers, with a result or a
/// tool error that says what was wrong; none ends in the SDK's generic "an error occurred" (an unhandled exception).</summary>
public sealed class ToolPropertyTests : IDisposable
{
    private readonly Localmem _cli = new();

    private static readonly Gen<object?> Value = Gen.OneOf(
        Gen.Const((object?)null),
        Gen.Int.Select(i => (object?)i),
        Gen.Long.Select(l => (object?)l),
        Gen.Double.Select(d => (object?)(double.IsFinite(d) ? d : 1e308)),
        Gen.Bool.Select(b => (object?)b),
        Gen.String.Select(s => (object?)s),
        Gen.OneOf<string>("", "decision", "2026-11-01", "{\"AND\": []}", "{\"user_id\": \"x\"}", "global", "project", "SUCCEEDED", "x' OR '1'='1").Select(s => (object?)s),
        Gen.Int[0, 3].Select(n => (object?)Enumerable.Range(0, n).Select(i => new { role = i % 2 == 0 ? "user" : "robot", content = $"msg {i}" }).ToArray()),
        Gen.OneOf<string>("""{"colour": "red"}""", """{"categories": {"in": ["a"]}}""", """{"metadata.team": {"gt": 3}}""", """{"NOT": [{"run_id": null}]}""", "[1, 2]")
            .Select(json => (object?)JsonDocument.Parse(json).RootElement));

    private static readonly string[] Tools =
        ["add_memory", "search_memories", "get_memories", "get_memory", "update_memory", "delete_memory", "delete_all_memories", "delete_entities", "list_entities", "list_events", "get_event_status"];

    private static readonly string[] Names =
        ["text", "messages", "query", "filters", "limit", "threshold", "page", "page_size", "memory_id", "event_id", "user_id", "agent_id", "app_id", "run_id", "metadata", "infer", "scope", "event_type", "status", "since", "bogus"];

    [Fact]
    public async Task Generated_tool_calls_always_answer_with_a_result_or_a_readable_error()
    {
        await using var client = await McpHarness.Connect(_cli.Home);
        var call = Gen.Select(Gen.Int[0, Tools.Length - 1], Gen.Select(Gen.Int[0, Names.Length - 1], Value).Array[0, 4], (t, args) => (Tool: Tools[t], Args: args));
        int calls = 0, errors = 0;
        await call.SampleAsync(async c =>
        {
            calls++;
            var arguments = new Dictionary<string, object?>();
            foreach (var (name, value) in c.Args) arguments[Names[name]] = value;
            var result = await client.CallToolAsync(c.Tool, arguments);
            var text = McpHarness.Text(result);
            Assert.False(string.IsNullOrWhiteSpace(text), $"{c.Tool}: empty answer");
            Assert.DoesNotContain("An error occurred", text, StringComparison.Ordinal);
            if (result.IsError == true) errors++;
        }, iter: 150, threads: 1);
        Assert.True(calls >= 150, $"{calls} calls");
        Assert.InRange(errors, 1, calls - 1); // both paths were exercised
        Assert.Equal(JsonValueKind.Object, (await client.Call("get_memories", new { })).ValueKind); // still serving
    }

    public void Dispose() => _cli.Dispose();
}
