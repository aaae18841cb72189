using System.Text.Json.Nodes;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

/// <summary>The store's invariants under interleavings: a vector always belongs to its memory's committed text, every
/// path in is admitted the same way, background work ends, expired rows never crowd out live ones.</summary>
public sealed class InvariantTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task Updates_racing_on_two_store_handles_always_leave_each_vector_made_from_its_committed_text()
    {
        // Two handles on one file stand for two processes; each thread updates the same memories to texts the other
        // may have just written, so "the text I read is the text I send" (no re-embedding) meets a concurrent change.
        var first = _home.Open();
        var second = _home.Open();
        string[] texts = ["Cache entries live 5 minutes", "Cache entries live 10 minutes", "Cache entries live 30 minutes"];
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((await first.AddAsync(new AddRequest { Text = $"{texts[0]} in region {i}" }, Context.Global, _ct)).Results[0].Id);
        async Task Hammer(MemoryService service, int seed)
        {
            var random = new Random(seed);
            for (var n = 0; n < 60; n++)
            {
                var id = ids[random.Next(ids.Count)];
                var text = $"{texts[random.Next(texts.Length)]} in region {ids.IndexOf(id)}";
                await service.UpdateAsync(new UpdateRequest(id, text, null), Context.Global, _ct);
            }
        }
        await Task.WhenAll(Task.Run(() => Hammer(first, 1)), Task.Run(() => Hammer(second, 2)));
        var (checkedCount, disagreeing) = await first.CheckVectorsAsync(1000, _ct);
        Assert.Equal(ids.Count, checkedCount);
        Assert.Empty(disagreeing);
    }

    [Fact]
    public async Task An_update_planned_on_text_that_changed_meanwhile_commits_nothing_until_it_has_the_right_vector()
    {
        // The interleaving, step by step: a caller reads "A" and sends "A" back (so it makes no vector); meanwhile
        // another writer commits "B" with B's vector. Committing "A" now would leave B's vector under A's text.
        var first = _home.Open();
        var second = _home.Open();
        var id = (await first.AddAsync(new AddRequest { Text = "Logs are kept for 7 days" }, Context.Global, _ct)).Results[0].Id;
        var read = await first.GetAsync(id, null, _ct);
        await second.UpdateAsync(new UpdateRequest(id, "Logs are kept for 90 days", null), Context.Global, _ct);
        var evt = new EventRecord { Id = MemoryService.NewId(), Type = "UPDATE", Status = EventStatus.Succeeded, CreatedAt = Json.Timestamp(DateTimeOffset.UtcNow) };
        Assert.Null(first.Store.Update(id, read.Memory, MemoryService.Hash(read.Memory), null, null, evt.CreatedAt, evt));
        Assert.Equal("Logs are kept for 90 days", (await first.GetAsync(id, null, _ct)).Memory);

        var updated = await first.UpdateAsync(new UpdateRequest(id, read.Memory, null), Context.Global, _ct); // the service embeds and retries
        Assert.Equal("Logs are kept for 7 days", updated.Memory);
        Assert.Empty((await first.CheckVectorsAsync(10, _ct)).Disagreeing);
    }

    [Fact]
    public async Task A_write_with_another_model_than_the_stores_is_refused_inside_its_transaction()
    {
        var arctic = _home.Open();
        await arctic.AddAsync(new AddRequest { Text = "Postgres is the primary database" }, Context.Global, _ct);
        var minilm = _home.Open(_home.Options with { Model = "minilm" });
        Assert.Equal(1, await minilm.ReindexAsync(null, _ct)); // another "process" re-embeds the store with MiniLM

        // The arctic handle checked its model before; it must not add arctic vectors to a MiniLM index now.
        var add = await Assert.ThrowsAsync<LocalMemoryException>(() => arctic.AddAsync(new AddRequest { Text = "Redis caches sessions" }, Context.Global, _ct));
        Assert.Contains("embedded with model 'minilm'", add.Message, StringComparison.Ordinal);
        var search = await Assert.ThrowsAsync<LocalMemoryException>(() => arctic.SearchAsync(new SearchRequest { Query = "database" }, Context.Global, _ct));
        Assert.Contains("embedded with model 'minilm'", search.Message, StringComparison.Ordinal);
        Assert.Empty((await minilm.CheckVectorsAsync(1000, _ct)).Disagreeing);
        Assert.Equal(1, minilm.Store.Counts().Memories);
    }

    [Fact]
    public async Task Reindex_resumes_from_its_staged_vectors_and_writes_made_meanwhile_are_re_embedded()
    {
        var service = _home.Open();
        for (var i = 0; i < 20; i++) await service.AddAsync(new AddRequest { Text = $"Service s{i} listens on port {8000 + i}" }, Context.Global, _ct);
        var minilm = _home.Open(_home.Options with { Model = "minilm" });
        minilm.Store.ReindexBegin("minilm");
        var half = minilm.Store.ReindexPending(10);
        minilm.Store.ReindexStage("minilm", [.. half.Select(h => (h.Seq, h.Hash, Models.Get("minilm").EmbedDocuments([h.Text])[0]))]); // then "killed"
        var changed = (await service.ListAsync(new ListRequest { PageSize = 1 }, Context.Global, _ct)).Results[0];
        await service.UpdateAsync(new UpdateRequest(changed.Id, "Service s19 now listens on port 9999", null), Context.Global, _ct);
        Assert.Equal((20L, 10L), minilm.Store.ReindexProgress());

        var progress = new List<int>();
        Assert.Equal(20, await minilm.ReindexAsync((done, _) => progress.Add(done), _ct));
        Assert.Equal(10, progress[0]); // it started from the staged half
        Assert.Empty((await minilm.CheckVectorsAsync(1000, _ct)).Disagreeing);
    }

    [Fact]
    public async Task Imported_and_synced_text_and_metadata_pass_the_same_door_as_an_add()
    {
        var service = _home.Open();
        var key = "AKIA" + "Q3ZJ7XK2M5VNB4TR"; // a fake access key of the real shape (built here so scanners of this repo stay quiet)
        var file = Path.Combine(_home.Home, "in.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"type":"header","format":"localmem-export","format_version":1}""",
            Line("01a00000-0000-7000-8000-000000000001", $"Deploys use the key {key} for S3", new JsonObject { ["note"] = $"key {key}" }),
        ], _ct);
        await service.ImportAsync(file, null, _ct);
        var imported = await service.GetAsync("01a00000-0000-7000-8000-000000000001", "alice", _ct);
        Assert.DoesNotContain(key, imported.Memory, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:", imported.Memory, StringComparison.Ordinal);
        Assert.DoesNotContain(key, imported.Metadata.ToJsonString(), StringComparison.Ordinal);

        var bad = Path.Combine(_home.Home, "bad.jsonl");
        await File.WriteAllLinesAsync(bad,
        [
            Line("01a00000-0000-7000-8000-000000000002", "A fine memory", []),
            Line("01a00000-0000-7000-8000-000000000003", "A memory claiming another user in its metadata", new JsonObject { ["user_id"] = "mallory" }),
        ], _ct);
        var refused = await Assert.ThrowsAsync<LocalMemoryException>(() => service.ImportAsync(bad, null, _ct));
        Assert.Contains("line 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("user_id", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, service.Store.Counts().Memories); // nothing from the bad file

        var folder = Directory.CreateDirectory(Path.Combine(_home.Home, "sync")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(folder, "othermachine1.jsonl"), [Line("01a00000-0000-7000-8000-000000000004", $"The CI token is {key}", [])], _ct);
        await service.SyncAsync(folder, null, _ct);
        var synced = await service.GetAsync("01a00000-0000-7000-8000-000000000004", "alice", _ct);
        Assert.DoesNotContain(key, synced.Memory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_background_event_whose_embedding_throws_ends_FAILED_with_the_reason_after_its_retries()
    {
        var service = MemoryService.Open(_home.Options, new FailingEmbedder(Models.Get("arctic-xs")));
        try
        {
            var messages = Enumerable.Range(0, 12).Select(i => new Message("user", $"Service svc-{i} listens on port {9000 + i}.")).ToList();
            var accepted = await service.AddAsync(new AddRequest { Messages = messages, Infer = true, Background = true }, Context.Global, _ct);
            Assert.Equal(EventStatus.Pending, accepted.Status);
            EventRecord evt;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            do
            {
                await Task.Delay(100, _ct);
                evt = await service.GetEventAsync(accepted.EventId, _ct);
            }
            while (evt.Status is EventStatus.Pending or EventStatus.Running && waited.Elapsed < TimeSpan.FromSeconds(60));
            Assert.Equal(EventStatus.Failed, evt.Status);
            Assert.Contains($"after {Constants.InferenceAttempts} attempts", evt.Error, StringComparison.Ordinal);
            Assert.Contains(FailingEmbedder.Message, evt.Error, StringComparison.Ordinal);
            Assert.Equal(0, service.Store.Counts().Memories);
        }
        finally { service.Dispose(); }
    }

    [Fact]
    public async Task A_search_whose_nearest_rows_are_expired_still_returns_limit_live_results()
    {
        var service = _home.Open();
        var past = Json.Timestamp(DateTimeOffset.UtcNow.AddDays(-1));
        for (var i = 0; i < 30; i++)
            await service.AddAsync(new AddRequest { Text = $"The staging database password rotates every {i + 2} days", ExpirationDate = past }, Context.Global, _ct);
        for (var i = 0; i < 5; i++)
            await service.AddAsync(new AddRequest { Text = $"Unrelated fact {i}: the office plant needs water on day {i}" }, Context.Global, _ct);
        var hits = await service.SearchAsync(new SearchRequest { Query = "How often does the staging database password rotate?", Limit = 5 }, Context.Global, _ct);
        Assert.Equal(5, hits.Count);
        Assert.All(hits, h => Assert.Null(h.Memory.ExpirationDate));
    }

    private static string Line(string id, string text, JsonObject metadata) => new JsonObject
    {
        ["type"] = "memory",
        ["version"] = "001764000000000-000000-othermachine1",
        ["memory"] = new JsonObject
        {
            ["id"] = id, ["memory"] = text, ["user_id"] = "alice", ["metadata"] = metadata, ["hash"] = "x",
            ["created_at"] = "2026-11-01T10:00:00.000Z", ["updated_at"] = "2026-11-01T10:00:00.000Z",
        },
    }.ToJsonString();

    /// <summary>The real model for queries; every document embedding fails, as an ONNX Runtime error would.</summary>
    private sealed class FailingEmbedder(IEmbedder real) : IEmbedder
    {
        public const string Message = "ONNX Runtime failed: simulated kernel error";

        public ModelManifest Model => real.Model;

        public float[][] EmbedDocuments(IReadOnlyList<string> texts) => throw new InvalidOperationException(Message);

        public float[] EmbedQuery(string query) => real.EmbedQuery(query);
    }

    public void Dispose() => _home.Dispose();
}
