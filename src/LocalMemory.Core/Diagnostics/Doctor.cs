using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Storage;

namespace LocalMemory.Core.Diagnostics;

/// <summary>One doctor finding: what was checked, whether it is fine, and how to fix it when not.</summary>
public sealed record Check(string Name, bool Ok, string Detail, string? Fix = null);

/// <summary>Checks the model (checksums, that it runs), sqlite-vec, the database (integrity, schema version,
/// embedding model and dimension, agreement of the three indexes).</summary>
public static class Doctor
{
    /// <summary>How many memories <c>doctor --deep</c> re-embeds (chosen at random; all of a smaller store).</summary>
    public const int DeepSample = 1_000;

    /// <param name="deep">Also re-embed a sample of memories and compare each with its stored vector.</param>
    /// <param name="probeModel">Load the model and embed a sentence (a process that already runs it can skip this).</param>
    public static async Task<IReadOnlyList<Check>> RunAsync(LocalMemoryOptions options, bool deep, CancellationToken cancellationToken, bool probeModel = true)
    {
        var checks = new List<Check>();
        var modelOk = Guard(checks, "model files", () =>
        {
            var model = Assets.LoadModel(options.AssetsDirectory, options.Model);
            foreach (var file in model.Files)
                if (!Assets.Sha256(file.Path).Equals(file.Sha256, StringComparison.OrdinalIgnoreCase))
                    return new Check("model files", false, $"{file.Path} does not match its sha256", Assets.FetchHint);
            return new Check("model files", true, $"{model.Name} ({model.Package} {model.Version}, {model.Dimension} dimensions, {model.Pooling} pooling): sha256 verified");
        });
        var vecOk = Guard(checks, "sqlite-vec", () => new Check("sqlite-vec", true, $"{Assets.SqliteVecPath(options.AssetsDirectory)}: sha256 verified"));
        if (!vecOk) return checks;

        MemoryService service;
        try { service = MemoryService.Open(options); }
        catch (LocalMemoryException e)
        {
            checks.Add(new Check("database", false, e.Message, "see the message; localmem never deletes a database by itself"));
            return checks;
        }
        using (service)
        {
            var store = service.Store;
            Guard(checks, "sqlite-vec", () => new Check("sqlite-vec loads", true, $"vec_version() = {store.VecVersion()}"));
            Guard(checks, "database", () =>
            {
                var integrity = store.IntegrityCheck();
                return integrity == "ok"
                    ? new Check("database", true, $"{store.Path}: integrity ok, schema v{store.SchemaVersion()}")
                    : new Check("database", false, $"{store.Path}: {integrity}", "restore a backup or export what is readable with localmem export");
            });
            Guard(checks, "indexes", () =>
            {
                var c = store.Counts();
                var ftsProblem = store.KeywordIndexCheck();
                var agree = c.Memories == c.Keyword && c.MissingVectors == 0 && c.Vectors == c.Memories && ftsProblem is null;
                return new Check("indexes", agree,
                    $"{c.Memories} memories, {c.Keyword} keyword rows, {c.Vectors} vectors" + (c.MissingVectors > 0 ? $", {c.MissingVectors} memories without a vector" : "") + (ftsProblem is null ? "" : $"; {ftsProblem}"),
                    agree ? null : "run localmem reindex to rebuild the vector and keyword indexes from the memories");
            });
            Guard(checks, "embedding model", () =>
            {
                var indexed = store.EmbeddingModel;
                var model = service.Model;
                if (indexed is null) return new Check("embedding model", true, $"{model.Name} (no vectors yet)");
                return indexed.Value.Model == model.Name && indexed.Value.Dimension == model.Dimension
                    ? new Check("embedding model", true, $"memories indexed with {model.Name} ({model.Dimension} dimensions), as configured")
                    : new Check("embedding model", false, $"memories indexed with {indexed.Value.Model} ({indexed.Value.Dimension}), configured {model.Name} ({model.Dimension})",
                        $"run localmem reindex to re-embed with {model.Name}, or set the model back to {indexed.Value.Model}");
            });
            if (modelOk && probeModel)
            {
                try
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    var dimension = await service.ProbeModelAsync(cancellationToken);
                    checks.Add(new Check("model runs", dimension == service.Model.Dimension,
                        $"loaded and embedded a sentence in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms ({dimension} dimensions)"));
                }
                catch (LocalMemoryException e) { checks.Add(new Check("model runs", false, e.Message, Assets.FetchHint)); }
                if (deep && checks.All(c => c.Ok))
                {
                    var (count, disagreeing) = await service.CheckVectorsAsync(DeepSample, cancellationToken);
                    checks.Add(disagreeing.Count == 0
                        ? new Check("vectors", true, $"re-embedded {count} memories: every vector matches its memory's text")
                        : new Check("vectors", false, $"{disagreeing.Count} of {count} re-embedded memories have a vector made from other text or missing: {string.Join(", ", disagreeing.Take(5))}{(disagreeing.Count > 5 ? ", ..." : "")}",
                            "run localmem doctor --repair to rebuild the vectors from the memories"));
                }
            }
        }
        return checks;
    }

    private static bool Guard(List<Check> checks, string name, Func<Check> check)
    {
        try
        {
            var result = check();
            checks.Add(result);
            return result.Ok;
        }
        catch (LocalMemoryException e)
        {
            checks.Add(new Check(name, false, e.Message, e.Kind == ErrorKind.System ? Assets.FetchHint : null));
            return false;
        }
    }
}
