using LocalMemory.Core.Diagnostics;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

public sealed class StoreHealthTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task A_model_change_is_refused_until_reindex_then_search_works_with_the_new_model()
    {
        var arctic = _home.Open();
        await arctic.AddAsync(new AddRequest { Text = "Postgres is the primary database" }, Context.Global, _ct);
        await arctic.AddAsync(new AddRequest { Text = "Kafka topics are named domain.entity.event" }, Context.Global, _ct);

        var minilm = _home.Open(_home.Options with { Model = "minilm" });
        var e = await Assert.ThrowsAsync<LocalMemoryException>(() => minilm.SearchAsync(new SearchRequest { Query = "database" }, Context.Global, _ct));
        Assert.Equal(ErrorKind.System, e.Kind);
        Assert.Contains("arctic-xs", e.Message, StringComparison.Ordinal);
        Assert.Contains("localmem reindex", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LocalMemoryException>(() => minilm.AddAsync(new AddRequest { Text = "x" }, Context.Global, _ct));
        Assert.Equal(2, (await minilm.ListAsync(new ListRequest(), Context.Global, _ct)).Total); // reading needs no model

        var progress = new List<(int, int)>();
        Assert.Equal(2, await minilm.ReindexAsync((done, total) => progress.Add((done, total)), _ct));
        Assert.Equal((2, 2), progress[^1]);
        Assert.Equal(("minilm", 384), minilm.Store.EmbeddingModel);
        var hits = await minilm.SearchAsync(new SearchRequest { Query = "Which database do we use?" }, Context.Global, _ct);
        Assert.Equal("Postgres is the primary database", hits[0].Memory.Memory);
    }

    [Fact]
    public async Task Doctor_reports_all_green_on_a_healthy_store()
    {
        using (var service = MemoryService.Open(_home.Options, Models.Get("arctic-xs")))
            await service.AddAsync(new AddRequest { Text = "CI runs on GitHub Actions" }, Context.Global, _ct);
        var checks = await Doctor.RunAsync(_home.Options with { AssetsDirectory = AppContext.BaseDirectory }, deep: true, _ct);
        Assert.All(checks, c => Assert.True(c.Ok, $"{c.Name}: {c.Detail}"));
        Assert.Contains(checks, c => c.Name == "indexes" && c.Detail.StartsWith("1 memories, 1 keyword rows, 1 vectors", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_a_database_gives_a_clear_error()
    {
        File.WriteAllText(Path.Combine(_home.Home, Constants.DatabaseFile), "this is not sqlite, just text that is long enough to have a header............................");
        var e = Assert.Throws<LocalMemoryException>(() => MemoryService.Open(_home.Options));
        Assert.Equal(ErrorKind.System, e.Kind);
        Assert.Contains("not a SQLite database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_from_a_newer_localmem_is_refused()
    {
        using (var service = _home.Open()) { }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_home.Options.DatabasePath};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "update meta set value = '99' where key = 'schema_version'";
            command.ExecuteNonQuery();
        }
        var e = Assert.Throws<LocalMemoryException>(() => MemoryService.Open(_home.Options));
        Assert.Contains("schema version 99", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_data_directory_and_database_are_private_to_their_owner()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions; Windows homes inherit the profile's ACL");
        var home = _home.Options with { Home = Path.Combine(_home.Home, "fresh") };
        using (MemoryService.Open(home, Models.Get("arctic-xs"))) { }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home.Home));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(home.DatabasePath));
    }

    [Fact]
    public void Tests_never_resolve_the_real_data_directory()
    {
        var real = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Constants.DefaultHomeFolder);
        Assert.NotEqual(Path.GetFullPath(real), LocalMemoryOptions.Resolve().Home);
        Assert.StartsWith(Path.GetTempPath(), _home.Home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_extension_or_model_is_caught_with_the_command_that_fetches_it()
    {
        var assets = Directory.CreateDirectory(Path.Combine(_home.Home, "assets")).FullName;
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
                     .Where(f => f.Contains($"{Path.DirectorySeparatorChar}models{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || f.Contains("vec0", StringComparison.Ordinal) || f.EndsWith("sqlite-vec.json", StringComparison.Ordinal)))
        {
            var target = Path.Combine(assets, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var options = _home.Options with { AssetsDirectory = assets };

        var model = Path.Combine(assets, "models", "arctic-xs", "model.onnx");
        using (var stream = File.OpenWrite(model)) { stream.Position = 1_000_000; stream.Write(new byte[64]); } // same size, other bytes
        var checks = await Doctor.RunAsync(options, deep: false, _ct);
        var modelCheck = checks.Single(c => c.Name == "model files");
        Assert.False(modelCheck.Ok);
        Assert.Contains("sha256", modelCheck.Detail, StringComparison.Ordinal);
        Assert.Contains("fetch-assets", modelCheck.Fix, StringComparison.Ordinal);

        var vec = Directory.EnumerateFiles(assets, "vec0.*", SearchOption.AllDirectories).Single();
        File.AppendAllText(vec, "tampered");
        var e = Assert.Throws<LocalMemoryException>(() => MemoryService.Open(options));
        Assert.Equal(ErrorKind.System, e.Kind);
        Assert.Contains("does not match its sha256", e.Message, StringComparison.Ordinal);
        Assert.Contains("install.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_1_database_is_migrated_and_keeps_its_memories()
    {
        Directory.CreateDirectory(_home.Home);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_home.Options.DatabasePath};Pooling=false"))
        {
            connection.Open();
            connection.LoadExtension(Assets.SqliteVecPath(AppContext.BaseDirectory), "sqlite3_vec_init");
            using var command = connection.CreateCommand();
            command.CommandText = LocalMemory.Core.Storage.Schema.Create + """
                insert into meta(key, value) values ('schema_version', '1');
                insert into memories(id, memory, hash, user_id, created_at, updated_at) values ('old-1', 'Written by version 1', 'h', 'alice', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                insert into events(id, type, status, created_at) values ('e1', 'ADD', 'SUCCEEDED', '2026-01-01T00:00:00.0000000Z');
                """;
            command.ExecuteNonQuery();
        }
        var service = _home.Open();
        Assert.Equal(Constants.SchemaVersion, service.Store.SchemaVersion());
        Assert.Equal("Written by version 1", (await service.GetAsync("old-1", null, _ct)).Memory);
        var added = await service.AddAsync(new AddRequest { Text = "Written after the migration" }, Context.Global, _ct);
        Assert.Equal(2, (await service.ListAsync(new ListRequest(), Context.Global, _ct)).Total);
        Assert.Equal(EventStatus.Succeeded, (await service.GetEventAsync(added.EventId, _ct)).Status);
    }

    [Fact]
    public async Task A_version_3_database_gets_sharded_vectors_without_re_embedding()
    {
        string[] texts = ["Postgres is the primary database", "Kafka topics are named domain.entity.event", "any() is banned in TypeScript", "Deploys go out on Tuesdays"];
        var vectors = Models.Get("arctic-xs").EmbedDocuments(texts);
        Directory.CreateDirectory(_home.Home);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_home.Options.DatabasePath};Pooling=false"))
        {
            connection.Open();
            connection.LoadExtension(Assets.SqliteVecPath(AppContext.BaseDirectory), "sqlite3_vec_init");
            using var command = connection.CreateCommand();
            command.CommandText = LocalMemory.Core.Storage.Schema.Create + LocalMemory.Core.Storage.Schema.Migrations[0] + LocalMemory.Core.Storage.Schema.Migrations[1] + """
                insert into meta(key, value) values ('schema_version', '3'), ('embedding_model', 'arctic-xs'), ('embedding_dimension', '384');
                create virtual table memories_vec using vec0(user_id text partition key, project text, embedding float[384] distance_metric=cosine);
                """;
            command.ExecuteNonQuery();
            for (var i = 0; i < texts.Length; i++)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = """
                    insert into memories(seq, id, memory, hash, user_id, created_at, updated_at, version) values (@seq, @id, @memory, 'h', @user, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z', 'v');
                    insert into memories_vec(rowid, user_id, project, embedding) values (@seq, @user, '', @vector);
                    """;
                insert.Parameters.AddWithValue("@seq", i + 1);
                insert.Parameters.AddWithValue("@id", $"old-{i}");
                insert.Parameters.AddWithValue("@memory", texts[i]);
                insert.Parameters.AddWithValue("@user", _home.Options.UserId);
                insert.Parameters.AddWithValue("@vector", System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors[i].AsSpan()).ToArray());
                insert.ExecuteNonQuery();
            }
        }
        var service = _home.Open();
        Assert.Equal(Constants.SchemaVersion, service.Store.SchemaVersion());
        var counts = service.Store.Counts();
        Assert.Equal(4, counts.Vectors);
        Assert.Equal(0, counts.MissingVectors);
        // Both shards hold vectors, and search finds the right memory across them.
        for (var i = 0; i < texts.Length; i++)
            Assert.Equal(texts[i], (await service.SearchAsync(new SearchRequest { Query = texts[i], Limit = 1 }, Context.Global, _ct))[0].Memory.Memory);
        var added = await service.AddAsync(new AddRequest { Text = "Redis caches the session tokens" }, Context.Global, _ct);
        Assert.Equal("Redis caches the session tokens", (await service.SearchAsync(new SearchRequest { Query = "where are session tokens cached?", Limit = 1 }, Context.Global, _ct))[0].Memory.Memory);
        Assert.Equal(5, service.Store.Counts().Vectors);
    }

    [Fact]
    public async Task The_sharded_KNN_scan_finds_exactly_the_nearest_memories()
    {
        var embedder = Models.Get("arctic-xs");
        var texts = Enumerable.Range(0, 40).Select(i => $"Service s{i} of team t{i % 7} listens on port {9000 + i * 13}").ToList();
        var service = _home.Open();
        foreach (var text in texts) await service.AddAsync(new AddRequest { Text = text }, Context.Global, _ct);
        var vectors = embedder.EmbedDocuments(texts);
        var visible = new MemoryQuery { UserId = _home.Options.UserId };
        foreach (var question in new[] { "which port does team t3 use", "service s17", "listening ports", "t0" })
        {
            var query = embedder.EmbedQuery(question);
            var expected = texts.Select((t, i) => (Text: t, Distance: 1 - vectors[i].Zip(query, (a, b) => (double)a * b).Sum()))
                .OrderBy(e => e.Distance).Take(10).ToList();
            var nearest = service.Store.NearestVectors(visible, query, 10);
            var rows = service.Store.Fetch(visible, nearest.Select(n => n.Key), query, nearest);
            Assert.Equal(expected.Select(e => e.Text), nearest.Select(n => rows[n.Key].Record.Memory));
            Assert.Equal(expected.Select(e => e.Distance), nearest.Select(n => n.Distance), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    public void Dispose() => _home.Dispose();
}
