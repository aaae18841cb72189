using System.Text.Json.Nodes;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Storage;

namespace LocalMemory.Core.Tests;

/// <summary>The WAL file stays bounded under a long run of writes (checkpoints plus journal_size_limit).</summary>
public sealed class WalTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TestHome _home = new();

    private static int Adds => int.TryParse(Environment.GetEnvironmentVariable("LOCALMEM_WAL_ADDS"), out var n) ? n : 10_000;

    /// <summary>The bound stated in the README: 4 MiB kept after a checkpoint plus one auto-checkpoint interval
    /// (1,000 pages of 4 KiB) of writes before the next one.</summary>
    public const long BoundBytes = 12L * 1024 * 1024;

    [Fact]
    public void Ten_thousand_adds_in_a_row_keep_the_WAL_below_its_bound()
    {
        // The real store; random unit vectors stand in for embeddings (the WAL, not the model, is under test here).
        using var store = MemoryStore.Open(_home.Options.DatabasePath, Assets.SqliteVecPath(AppContext.BaseDirectory), () => ("arctic-xs", 384));
        store.InitializeVectors("arctic-xs", 384);
        var random = new Random(1);
        long largest = 0;
        for (var i = 0; i < Adds; i++)
        {
            var vector = Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            for (var d = 0; d < vector.Length; d++) vector[d] /= norm;
            var now = Json.Timestamp(DateTimeOffset.UtcNow);
            var text = $"Write {i}: the ingest worker {i % 97} processed batch {i} of the nightly import with {i * 7 % 1000} rows.";
            var record = new MemoryRecord { Id = MemoryService.NewId(), Memory = text, Hash = MemoryService.Hash(text), UserId = "alice", CreatedAt = now, UpdatedAt = now, Metadata = new JsonObject { ["i"] = i } };
            store.Apply([new PlannedChange.Add(record, vector)], changes => new EventRecord { Id = MemoryService.NewId(), Type = "ADD", Status = EventStatus.Succeeded, CreatedAt = now });
            if (i % 100 == 0) largest = Math.Max(largest, WalSize());
        }
        largest = Math.Max(largest, WalSize());
        Assert.Equal(Adds, store.Counts().Memories);
        output.WriteLine($"{Adds} adds: largest WAL {largest:N0} bytes, database {new FileInfo(_home.Options.DatabasePath).Length:N0} bytes");
        Assert.True(largest < BoundBytes, $"the WAL reached {largest:N0} bytes, above the {BoundBytes:N0} bound");
    }

    private long WalSize()
    {
        var wal = new FileInfo(_home.Options.DatabasePath + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    public void Dispose() => _home.Dispose();
}
