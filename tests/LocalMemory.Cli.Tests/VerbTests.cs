namespace LocalMemory.Cli.Tests;

public sealed class VerbTests : IDisposable
{
    private readonly Localmem _cli = new();

    [Fact]
    public async Task Add_search_list_get_update_history_delete_round_trip()
    {
        var added = await _cli.Run("add", "Postgres is the primary database", "--category", "decision", "--metadata", """{"source":"design review"}""", "--json");
        Assert.Equal(0, added.ExitCode);
        var id = added.Json.GetProperty("results")[0].GetProperty("id").GetString()!;
        Assert.Equal("ADD", added.Json.GetProperty("results")[0].GetProperty("event").GetString());
        Assert.Equal(0, (await _cli.Run("add", "any() is banned in TypeScript here")).ExitCode);

        var search = await _cli.Run("search", "What database are we using?", "--json");
        Assert.Equal(id, search.Json.GetProperty("results")[0].GetProperty("id").GetString());
        Assert.False(search.Out.Contains("embedding", StringComparison.OrdinalIgnoreCase), "no vectors in results");

        var table = await _cli.Run("search", "What database are we using?", "--explain");
        foreach (var part in new[] { "SIMILARITY", "BM25", "SPEAKER", "CONTEXT", "TIME", "FUSED" })
            Assert.Contains(part, table.Out, StringComparison.Ordinal);

        var list = await _cli.Run("list", "--json", "--page-size", "1");
        Assert.Equal(2, list.Json.GetProperty("total").GetInt32());
        Assert.Equal(1, list.Json.GetProperty("results").GetArrayLength());

        var get = await _cli.Run("get", id, "--json");
        Assert.Equal("design review", get.Json.GetProperty("metadata").GetProperty("source").GetString());
        Assert.Equal("cli", get.Json.GetProperty("app_id").GetString());

        Assert.Equal(0, (await _cli.Run("update", id, "--text", "MySQL is the primary database")).ExitCode);
        var history = await _cli.Run("history", id, "--json");
        Assert.Equal("Postgres is the primary database", history.Json.GetProperty("results")[1].GetProperty("old_memory").GetString());

        Assert.Equal(0, (await _cli.Run("delete", id)).ExitCode);
        Assert.Equal(1, (await _cli.Run("get", id)).ExitCode);
        var events = await _cli.Run("events", "--json");
        Assert.Equal(["DELETE", "UPDATE", "ADD", "ADD"], events.Json.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Delete_all_needs_yes_and_then_deletes_what_list_shows()
    {
        await _cli.Run("add", "one fact");
        await _cli.Run("add", "another fact");
        var refused = await _cli.Run("delete-all");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("would delete 2 memories", refused.Err, StringComparison.Ordinal);
        var done = await _cli.Run("delete-all", "--yes", "--json");
        Assert.Equal(2, done.Json.GetProperty("deleted").GetInt32());
        Assert.Equal(0, (await _cli.Run("list", "--json")).Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Stats_entities_and_doctor_report_the_store()
    {
        await _cli.Run("add", "CI runs on GitHub Actions", "--agent", "planner");
        var stats = await _cli.Run("stats", "--json");
        Assert.Equal(1, stats.Json.GetProperty("counts").GetProperty("memories").GetInt32());
        var entities = await _cli.Run("entities", "--json");
        Assert.Contains(entities.Json.GetProperty("results").EnumerateArray(), e => e.GetProperty("type").GetString() == "AGENT" && e.GetProperty("id").GetString() == "planner");
        var doctor = await _cli.Run("doctor", "--json");
        Assert.Equal(0, doctor.ExitCode);
        Assert.True(doctor.Json.GetProperty("ok").GetBoolean(), doctor.Out);
    }

    public void Dispose() => _cli.Dispose();
}
