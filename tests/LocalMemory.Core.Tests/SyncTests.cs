using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

/// <summary>Two machines (two data directories) and one shared folder: sync in any order converges.</summary>
public sealed class SyncTests : IDisposable
{
    private readonly TestHome _laptop = new();
    private readonly TestHome _workstation = new();
    private readonly string _shared = Directory.CreateTempSubdirectory("localmem-shared-").FullName;
    private readonly CancellationToken _ct = CancellationToken.None;

    private async Task<string> Add(MemoryService service, string text) =>
        (await service.AddAsync(new AddRequest { Text = text }, Context.Global, _ct)).Results[0].Id;

    private static async Task<List<(string Id, string Memory)>> All(MemoryService service) =>
        [.. (await service.ListAsync(new ListRequest { PageSize = 500, AllProjects = true }, Context.Global, CancellationToken.None)).Results.Select(r => (r.Id, r.Memory)).OrderBy(r => r.Id)];

    private Task<SyncResult> Sync(MemoryService service) => service.SyncAsync(_shared, null, _ct);

    [Fact]
    public async Task Adds_updates_and_deletes_on_both_sides_converge_in_either_order_and_a_further_sync_changes_nothing()
    {
        var laptop = _laptop.Open();
        var workstation = _workstation.Open();
        var postgres = await Add(laptop, "Postgres is the primary database");
        var tabs = await Add(laptop, "Indent with tabs");
        await Add(laptop, "Releases go out on Tuesdays");
        var kafka = await Add(workstation, "Kafka carries domain events");
        await Add(workstation, "CI runs on GitHub Actions");

        await Sync(laptop);
        await Sync(workstation);
        await Sync(laptop);
        Assert.Equal(5, (await All(laptop)).Count);
        Assert.Equal(await All(laptop), await All(workstation));

        await workstation.UpdateAsync(new UpdateRequest(postgres, "MySQL is the primary database", null), Context.Global, _ct);
        await laptop.DeleteAsync(kafka, null, Context.Global, _ct);
        await workstation.DeleteAsync(tabs, null, Context.Global, _ct);
        await Add(laptop, "Feature flags go through Unleash");

        await Sync(workstation); // the other order this time
        await Sync(laptop);
        await Sync(workstation);
        var expected = await All(laptop);
        Assert.Equal(expected, await All(workstation));
        Assert.Contains(expected, m => m.Memory == "MySQL is the primary database");
        Assert.DoesNotContain(expected, m => m.Id == kafka || m.Id == tabs);
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected.Count, expected.Select(m => m.Memory).Distinct().Count()); // no duplicates

        var files = Directory.GetFiles(_shared).ToDictionary(f => f, File.ReadAllText);
        var again = await laptop.SyncAsync(_shared, null, _ct);
        var again2 = await workstation.SyncAsync(_shared, null, _ct);
        Assert.Equal(0, again.Exported + again2.Exported);
        Assert.All(again.Applied.Values.Concat(again2.Applied.Values), a => Assert.Equal(0, a.Added + a.Updated + a.Deleted + a.Conflicts));
        Assert.Equal(files, Directory.GetFiles(_shared).ToDictionary(f => f, File.ReadAllText));
        Assert.Equal(expected, await All(laptop));

        var hits = await workstation.SearchAsync(new SearchRequest { Query = "Which feature flag service do we use?" }, Context.Global, _ct);
        Assert.Equal("Feature flags go through Unleash", hits[0].Memory.Memory);
    }

    [Fact]
    public async Task Concurrent_edits_of_one_memory_converge_to_the_same_winner_and_keep_the_loser_in_history()
    {
        var laptop = _laptop.Open();
        var workstation = _workstation.Open();
        var id = await Add(laptop, "The API gateway is Kong");
        await Sync(laptop);
        await Sync(workstation);

        await laptop.UpdateAsync(new UpdateRequest(id, "The API gateway is Envoy", null), Context.Global, _ct);
        await Task.Delay(5);
        await workstation.UpdateAsync(new UpdateRequest(id, "The API gateway is Traefik", null), Context.Global, _ct);

        await Sync(laptop);
        await Sync(workstation);
        await Sync(laptop);
        var onLaptop = await laptop.GetAsync(id, null, _ct);
        var onWorkstation = await workstation.GetAsync(id, null, _ct);
        Assert.Equal(onLaptop.Memory, onWorkstation.Memory);
        Assert.Equal("The API gateway is Traefik", onLaptop.Memory); // the later edit wins on both
        foreach (var service in new[] { laptop, workstation })
        {
            var history = await service.HistoryAsync(id, _ct);
            Assert.Contains(history, h => h.OldMemory == "The API gateway is Envoy" || h.NewMemory == "The API gateway is Envoy");
        }
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_home_reproduces_every_memory_and_importing_twice_changes_nothing()
    {
        var source = _laptop.Open();
        var ids = new List<string>();
        foreach (var text in new[] { "Postgres is the primary database", "any() is banned in TypeScript", "Auth uses JWT access tokens" })
            ids.Add(await Add(source, text));
        await source.UpdateAsync(new UpdateRequest(ids[0], "MySQL is the primary database", new() { ["source"] = "ADR 12" }), Context.Global, _ct);
        var file = Path.Combine(_shared, "export.jsonl");
        await using (var writer = new StreamWriter(file)) Assert.Equal(3, await source.ExportAsync(writer, null, _ct));

        var target = _workstation.Open();
        var first = await target.ImportAsync(file, null, _ct);
        Assert.Equal(3, first.Added);
        foreach (var id in ids)
        {
            var (a, b) = (await source.GetAsync(id, null, _ct), await target.GetAsync(id, null, _ct));
            Assert.Equal((a.Memory, a.UserId, a.CreatedAt, a.UpdatedAt, a.Metadata.ToJsonString()), (b.Memory, b.UserId, b.CreatedAt, b.UpdatedAt, b.Metadata.ToJsonString()));
        }
        Assert.Equal([ChangeKind.Add, ChangeKind.Update], (await target.HistoryAsync(ids[0], _ct)).Select(h => h.Event));
        Assert.Equal(ids[0], (await target.SearchAsync(new SearchRequest { Query = "Which database is primary?" }, Context.Global, _ct))[0].Memory.Id);

        var second = await target.ImportAsync(file, null, _ct);
        Assert.Equal((0, 0, 3), (second.Added, second.Updated, second.Unchanged));
        Assert.Equal(3, target.Store.Counts().Memories);
    }

    [Fact]
    public async Task A_malformed_line_is_refused_with_its_number_and_nothing_is_imported()
    {
        var source = _laptop.Open();
        await Add(source, "Postgres is the primary database");
        await Add(source, "Kafka carries domain events");
        var file = Path.Combine(_shared, "export.jsonl");
        await using (var writer = new StreamWriter(file)) await source.ExportAsync(writer, null, _ct);
        var lines = (await File.ReadAllLinesAsync(file)).ToList();
        lines.Insert(2, """{"type": "memory", "version": "000000000000001-000000-x", "memory": {"id": "broken", "memory": "", "user_id": "alice"}}""");
        await File.WriteAllLinesAsync(file, lines);

        var target = _workstation.Open();
        var e = await Assert.ThrowsAsync<LocalMemoryException>(() => target.ImportAsync(file, null, _ct));
        Assert.StartsWith("line 3:", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.Store.Counts().Memories);
    }

    [Fact]
    public async Task Memories_imported_on_one_machine_reach_the_others_through_sync()
    {
        using var old = new TestHome();
        var source = old.Open();
        await Add(source, "The billing service is written in Go");
        var file = Path.Combine(_shared, "..", $"old-{Guid.NewGuid():N}.jsonl");
        await using (var writer = new StreamWriter(file)) await source.ExportAsync(writer, null, _ct);

        var laptop = _laptop.Open();
        var workstation = _workstation.Open();
        await laptop.ImportAsync(file, null, _ct);
        File.Delete(file);
        await Sync(laptop);
        await Sync(workstation);
        Assert.Equal(["The billing service is written in Go"], (await All(workstation)).Select(m => m.Memory));
    }

    public void Dispose()
    {
        _laptop.Dispose();
        _workstation.Dispose();
        Directory.Delete(_shared, recursive: true);
    }
}
