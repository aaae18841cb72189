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

    /// <summary>Re-embeds every memory with the configured model (after a model change) and rebuilds the keyword index.
    /// The model runs outside the write lock, a batch at a time (other processes keep writing meanwhile); an
    /// interrupted run resumes where it stopped.</summary>
    public async Task<int> ReindexAsync(Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var model = _model.Value;
        var embedder = await _embedder.GetAsync(cancellationToken);
        _store.ReindexBegin(model.Name);
        var (total, left) = _store.ReindexProgress();
        progress?.Invoke((int)(total - left), (int)total);
        for (var batch = _store.ReindexPending(ReindexBatch); batch.Count > 0; batch = _store.ReindexPending(ReindexBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vectors = embedder.EmbedDocuments([.. batch.Select(b => b.Text)]);
            _store.ReindexStage(model.Name, [.. batch.Select((b, i) => (b.Seq, b.Hash, vectors[i]))]);
            (total, left) = _store.ReindexProgress();
            progress?.Invoke((int)(total - left), (int)total);
        }
        return _store.ReindexSwap(model.Name, model.Dimension, embedder.EmbedDocuments);
    }

    private const int ReindexBatch = Constants.EmbeddingBatchSize * 4;

    /// <summary>Re-embeds up to <paramref name="sample"/> memories chosen at random and compares each with its stored
    /// vector: the ids of those whose vector is missing or was made from other text (or by another model).</summary>
    public async Task<(int Checked, IReadOnlyList<string> Disagreeing)> CheckVectorsAsync(int sample, CancellationToken cancellationToken)
    {
        CheckModel();
        var embedder = await _embedder.GetAsync(cancellationToken);
        var rows = _store.SampleVectors(sample);
        var disagreeing = new List<string>();
        foreach (var chunk in rows.Chunk(ReindexBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fresh = embedder.EmbedDocuments([.. chunk.Select(r => r.Text)]);
            for (var i = 0; i < chunk.Length; i++)
                if (chunk[i].Vector is not { } stored || stored.Length != fresh[i].Length || Cosine(stored, fresh[i]) < SameVector)
                    disagreeing.Add(chunk[i].Id);
        }
        return (rows.Count, disagreeing);
    }

    /// <summary>The same text embedded again in another batch differs only by float rounding (cosine 1 - 1e-6).</summary>
    private const double SameVector = 0.999;

    /// <summary>Loads the model now and embeds one sentence: proves the model works end to end.</summary>
    public async Task<int> ProbeModelAsync(CancellationToken cancellationToken)
    {
        var embedder = await _embedder.GetAsync(cancellationToken);
        return embedder.EmbedQuery("probe").Length;
    }

    public ModelManifest Model => _model.Value;

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
