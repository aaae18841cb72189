using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

public sealed class MemoryServiceTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private Task<AddResult> Add(MemoryService service, string text, CallContext? context = null, string? user = null, JsonObject? metadata = null, string[]? categories = null, bool global = false) =>
        service.AddAsync(new AddRequest { Text = text, Scope = new Scope(UserId: user), Metadata = metadata, Categories = categories, Global = global }, context ?? Context.Global, _ct);

    [Fact]
    public async Task Memories_survive_closing_and_reopening_the_store()
    {
        string id;
        using (var first = MemoryService.Open(_home.Options, Models.Get("arctic-xs")))
            id = (await Add(first, "Postgres is the primary database")).Results[0].Id;

        var second = _home.Open();
        var memory = await second.GetAsync(id, null, _ct);
        Assert.Equal("Postgres is the primary database", memory.Memory);
        var hits = await second.SearchAsync(new SearchRequest { Query = "What database are we using?" }, Context.Global, _ct);
        Assert.Equal(id, hits[0].Memory.Id);
    }

    [Fact]
    public async Task Search_finds_by_meaning_and_by_exact_token()
    {
        var service = _home.Open();
        await Add(service, "Auth uses JWT access tokens with Redis-backed refresh tokens");
        var db = (await Add(service, "Postgres is the primary database")).Results[0].Id;
        await Add(service, "any() is banned in TypeScript here");
        var pr = (await Add(service, "The ETL null-date bug was fixed in PR #47")).Results[0].Id;

        Assert.Equal(db, (await service.SearchAsync(new SearchRequest { Query = "Which datastore do we rely on?" }, Context.Global, _ct))[0].Memory.Id);
        var byToken = await service.SearchAsync(new SearchRequest { Query = "#47" }, Context.Global, _ct);
        Assert.Equal(pr, byToken[0].Memory.Id);
        Assert.NotNull(byToken[0].KeywordRank);
    }

    [Fact]
    public async Task Search_limit_and_threshold_cut_the_results()
    {
        var service = _home.Open();
        foreach (var text in new[] { "Postgres is the primary database", "Kafka carries domain events", "Tabs are four spaces wide" })
            await Add(service, text);
        var one = await service.SearchAsync(new SearchRequest { Query = "database", Limit = 1 }, Context.Global, _ct);
        Assert.Single(one);
        var strict = await service.SearchAsync(new SearchRequest { Query = "Which database is primary?", Threshold = 0.99 }, Context.Global, _ct);
        Assert.Empty(strict);
        var all = await service.SearchAsync(new SearchRequest { Query = "Which database is primary?" }, Context.Global, _ct);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Fused >= p.Second.Fused), "results are best first");
    }

    [Fact]
    public async Task The_same_text_twice_is_not_stored_twice()
    {
        var service = _home.Open();
        var first = await Add(service, "Releases ship on Tuesdays");
        var second = await Add(service, "Releases ship on Tuesdays");
        Assert.Equal(ChangeKind.Add, first.Results[0].Event);
        Assert.Equal(ChangeKind.None, second.Results[0].Event);
        Assert.Equal(first.Results[0].Id, second.Results[0].Id);
        Assert.Equal(1, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
    }

    [Fact]
    public async Task Pagination_covers_every_memory_exactly_once()
    {
        var service = _home.Open();
        var texts = Enumerable.Range(0, 45).Select(i => $"Fact number {i}: service-{i} listens on port {8000 + i}").ToList();
        await service.AddAsync(new AddRequest { Messages = [.. texts.Select(t => new Message("user", t))] }, Context.Global, _ct);

        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var result = await service.ListAsync(new ListRequest { Page = page, PageSize = 20 }, Context.Global, _ct);
            Assert.Equal(45, result.Total);
            if (result.Results.Count == 0) break;
            seen.AddRange(result.Results.Select(r => r.Memory));
        }
        Assert.Equal(45, seen.Count);
        Assert.Equal(texts.Order(), seen.Order());
    }

    [Fact]
    public async Task Update_re_embeds_and_keeps_the_old_text_in_history()
    {
        var service = _home.Open();
        var id = (await Add(service, "Postgres is the primary database")).Results[0].Id;
        var updated = await service.UpdateAsync(new UpdateRequest(id, "MySQL 8 is the primary database", null), Context.Global, _ct);
        Assert.Equal("MySQL 8 is the primary database", updated.Memory);
        Assert.NotEqual(updated.CreatedAt, updated.UpdatedAt);

        var hits = await service.SearchAsync(new SearchRequest { Query = "What is the primary database?" }, Context.Global, _ct);
        Assert.Equal("MySQL 8 is the primary database", hits[0].Memory.Memory);
        Assert.DoesNotContain(hits, h => h.Memory.Memory.Contains("Postgres", StringComparison.Ordinal));

        var history = await service.HistoryAsync(id, _ct);
        Assert.Equal([ChangeKind.Add, ChangeKind.Update], history.Select(h => h.Event));
        Assert.Equal("Postgres is the primary database", history[1].OldMemory);
        Assert.Equal("MySQL 8 is the primary database", history[1].NewMemory);
        Assert.Equal("test", history[1].AppId);
    }

    [Fact]
    public async Task Delete_removes_from_every_index_and_records_history_and_an_event()
    {
        var service = _home.Open();
        var id = (await Add(service, "The staging cluster lives in eu-west-1")).Results[0].Id;
        var deleted = await service.DeleteAsync(id, null, Context.Global, _ct);
        Assert.Equal(id, deleted.Deleted.Id);

        var missing = await Assert.ThrowsAsync<LocalMemoryException>(() => service.GetAsync(id, null, _ct));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Empty(await service.SearchAsync(new SearchRequest { Query = "eu-west-1 staging" }, Context.Global, _ct));
        var counts = service.Store.Counts();
        Assert.Equal((0, 0, 0), (counts.Memories, counts.Keyword, counts.Vectors));
        Assert.Equal([ChangeKind.Add, ChangeKind.Delete], (await service.HistoryAsync(id, _ct)).Select(h => h.Event));

        var evt = await service.GetEventAsync(deleted.EventId, _ct);
        Assert.Equal(("DELETE", EventStatus.Succeeded), (evt.Type, evt.Status));
        var events = await service.ListEventsAsync(new EventQuery(MemoryId: id), _ct);
        Assert.Equal(["DELETE", "ADD"], events.Results.Select(e => e.Type));
    }

    [Fact]
    public async Task Expired_memories_are_hidden_but_not_deleted()
    {
        var service = _home.Open();
        await service.AddAsync(new AddRequest { Text = "The freeze lasts until the release", ExpirationDate = "2020-01-01" }, Context.Global, _ct);
        await Add(service, "Tabs are four spaces wide");
        Assert.Equal(1, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
        Assert.DoesNotContain(await service.SearchAsync(new SearchRequest { Query = "release freeze" }, Context.Global, _ct), h => h.Memory.Memory.Contains("freeze", StringComparison.Ordinal));
        Assert.Equal(2, service.Store.Counts().Memories);
    }

    [Fact]
    public async Task Entities_count_memories_per_user_agent_app_and_run()
    {
        var service = _home.Open();
        await service.AddAsync(new AddRequest { Text = "one", Scope = new Scope(AgentId: "planner", RunId: "r1") }, new CallContext("codex", null), _ct);
        await service.AddAsync(new AddRequest { Text = "two", Scope = new Scope(AgentId: "planner") }, new CallContext("cursor", null), _ct);
        await service.AddAsync(new AddRequest { Text = "three", Scope = new Scope(UserId: "bob") }, new CallContext("codex", null), _ct);

        var entities = (await service.ListEntitiesAsync(null, 1, 50, _ct)).Results.ToDictionary(e => (e.Type, e.Id), e => e.Memories);
        Assert.Equal(2, entities[(EntityType.User, "alice")]);
        Assert.Equal(1, entities[(EntityType.User, "bob")]);
        Assert.Equal(2, entities[(EntityType.Agent, "planner")]);
        Assert.Equal(2, entities[(EntityType.App, "codex")]);
        Assert.Equal(1, entities[(EntityType.Run, "r1")]);

        var deleted = await service.DeleteEntitiesAsync(new Scope(AgentId: "planner"), Context.Global, _ct);
        Assert.Equal(2, deleted.Deleted);
        await Assert.ThrowsAsync<LocalMemoryException>(() => service.DeleteEntitiesAsync(new Scope(), Context.Global, _ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nul\0inside")]
    public async Task Bad_text_is_refused_with_a_message_and_nothing_is_stored(string text)
    {
        var service = _home.Open();
        var e = await Assert.ThrowsAsync<LocalMemoryException>(() => Add(service, text));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Equal(0, service.Store.Counts().Memories);
    }

    [Fact]
    public async Task Too_long_text_and_scope_keys_in_metadata_are_refused()
    {
        var service = _home.Open();
        var e = await Assert.ThrowsAsync<LocalMemoryException>(() => Add(service, new string('x', Constants.MaxMemoryChars + 1)));
        Assert.Contains("limit is", e.Message, StringComparison.Ordinal);
        var scope = await Assert.ThrowsAsync<LocalMemoryException>(() => Add(service, "fine", metadata: new JsonObject { ["user_id"] = "mallory" }));
        Assert.Contains("user_id", scope.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();
}
