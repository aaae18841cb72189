using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Storage;

namespace LocalMemory.Core.Memories;

public sealed record StoreStats(
    string Home, string Database, long DatabaseBytes, long WalBytes, long SchemaVersion,
    string Model, string? IndexedModel, int? IndexedDimension, IndexCounts Counts,
    IReadOnlyList<ScopeCount> Scopes);

public sealed record ScopeCount(string UserId, string? Project, long Memories);

public sealed partial class MemoryService
{
    public Task<StoreStats> StatsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var indexed = _store.EmbeddingModel;
        return Task.FromResult(new StoreStats(
            Options.Home,
            _store.Path,
            FileSize(_store.Path),
            FileSize(_store.Path + "-wal"),
            _store.SchemaVersion(),
            Options.Model,
            indexed?.Model,
            indexed?.Dimension,
            _store.Counts(),
            [.. _store.ScopeCounts().Select(s => new ScopeCount(s.User, s.Project, s.Count))]));
    }

    /// <summary>Re-embeds every memory with the configured model (after a model change) and rebuilds the keyword index.</summary>
    public async Task<int> ReindexAsync(Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var model = _model.Value;
        var embedder = await _embedder.GetAsync(cancellationToken);
        var count = _store.Reindex(model.Name, model.Dimension, embedder.EmbedDocuments, Constants.EmbeddingBatchSize * 4, progress);
        Volatile.Write(ref _vectorsChecked, 1);
        return count;
    }

    /// <summary>Loads the model now and embeds one sentence: proves the model works end to end.</summary>
    public async Task<int> ProbeModelAsync(CancellationToken cancellationToken)
    {
        var embedder = await _embedder.GetAsync(cancellationToken);
        return embedder.EmbedQuery("probe").Length;
    }

    public ModelManifest Model => _model.Value;

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
