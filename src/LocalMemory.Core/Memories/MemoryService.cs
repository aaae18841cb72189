using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Search;
using LocalMemory.Core.Storage;

namespace LocalMemory.Core.Memories;

/// <summary>The operations every host calls: add, search, get, list, update, delete, entities, history, events.</summary>
/// <remarks>The model loads once, on its own thread, when first needed (or when a host calls <see cref="WarmUp"/>).</remarks>
public sealed partial class MemoryService : IDisposable
{
    private readonly MemoryStore _store;
    private readonly EmbedderLoader _embedder;
    private readonly Lazy<ModelManifest> _model;

    private MemoryService(LocalMemoryOptions options, MemoryStore store, Lazy<ModelManifest> model, IEmbedder? shared)
    {
        Options = options;
        _store = store;
        _model = model;
        _embedder = shared is null ? new EmbedderLoader(() => OnnxEmbedder.Load(_model.Value)) : new EmbedderLoader(() => shared, ownsEmbedder: false);
    }

    public LocalMemoryOptions Options { get; }

    public MemoryStore Store => _store;

    /// <summary>Opens the store in <c>options.Home</c>. A loaded <paramref name="embedder"/> may be shared between
    /// services of one process (the caller keeps ownership); by default the service loads its own.</summary>
    public static MemoryService Open(LocalMemoryOptions options, IEmbedder? embedder = null)
    {
        var model = new Lazy<ModelManifest>(() => embedder?.Model ?? Assets.LoadModel(options.AssetsDirectory, options.Model));
        var store = MemoryStore.Open(options.DatabasePath, Assets.SqliteVecPath(options.AssetsDirectory), () => (model.Value.Name, model.Value.Dimension));
        return new(options, store, model, embedder);
    }

    /// <summary>Starts loading the model in the background.</summary>
    public void WarmUp() => _embedder.Start();

    /// <summary>Adds memories. With infer=false each text (or message) is stored word for word; with infer=true the
    /// text or conversation is turned into facts and reconciled with what is stored (see <see cref="Inference.Reconciler"/>).
    /// A long conversation with <see cref="AddRequest.Background"/> is kept as a PENDING event and inferred in the background.</summary>
    public async Task<AddResult> AddAsync(AddRequest request, CallContext context, CancellationToken cancellationToken)
    {
        var input = AddInput.From(request, context, Options.UserId, Options.Secrets);
        var started = Stopwatch.GetTimestamp();
        var eventId = NewId();
        var now = Json.Timestamp(DateTimeOffset.UtcNow);
        if (!request.Infer)
        {
            var texts = input.Messages.Where(m => m.Role != "system").Select(m => m.Content).ToList();
            var vectors = (await EmbedderAsync(cancellationToken)).EmbedDocuments(texts);
            var plan = texts.Select((text, i) => (PlannedChange)new PlannedChange.Add(input.NewRecord(text, now, null, []), vectors[i])).ToList();
            var changes = _store.Apply(plan, c => Event(eventId, "ADD", input.UserId, input.AppId, now, started, ChangesJson(c)));
            return new AddResult(eventId, EventStatus.Succeeded, changes);
        }
        if (request.Background && input.IsLong)
        {
            CheckModel();
            _store.Enqueue(new EventRecord { Id = eventId, Type = "ADD", Status = EventStatus.Pending, UserId = input.UserId, AppId = input.AppId, CreatedAt = now }, input.ToJson());
            StartBackgroundWork();
            return new AddResult(eventId, EventStatus.Pending, []);
        }
        return new AddResult(eventId, EventStatus.Succeeded, await InferAsync(input, eventId, now, started, cancellationToken));
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CallContext context, CancellationToken cancellationToken)
    {
        var query = Validation.Text(request.Query, "query", Constants.MaxQueryChars);
        if (request.Limit < 1 || request.Limit > Constants.MaxSearchLimit)
            throw LocalMemoryException.Invalid($"limit must be between 1 and {Constants.MaxSearchLimit}, got {request.Limit}");
        if (request.Threshold is { } t && (double.IsNaN(t) || t < -1 || t > 1))
            throw LocalMemoryException.Invalid($"threshold is a cosine similarity between -1 and 1, got {t}");
        var scope = Validation.Scope(request.Scope);
        var visible = Query(scope, request.Filter, context, request.AllProjects);

        var embedder = await EmbedderAsync(cancellationToken);
        var vector = embedder.EmbedQuery(query);
        var candidates = Math.Max(request.Limit * 4, 40);
        var nearest = _store.NearestVectors(visible, vector, candidates);
        var keywords = KeywordQuery.Build(query);
        // Words in more memories than the cap are stopwords for this store: they would cost a scan of most of it and
        // weigh almost nothing in BM25 or in the coverage.
        var (documents, frequencies) = keywords is null ? (0, []) : _store.DocumentFrequencies([.. Enumerable.Range(0, keywords.Terms.Count).Select(keywords.Term)]);
        var useful = Enumerable.Range(0, frequencies.Count).Where(i => frequencies[i] < MemoryStore.DocumentFrequencyCap).ToList();
        var matches = keywords is null || useful.Count == 0 ? [] : _store.KeywordMatches(visible, keywords.Any(useful), candidates);
        var keys = nearest.Select(n => n.Key).Union(matches).ToList();
        var rows = _store.Fetch(visible, keys, vector, nearest);
        var coverage = Coverage(keywords!, useful, documents, frequencies, keys);
        var vectorRank = Ranks([.. nearest.Select(n => n.Key)]);
        var keywordRank = Ranks(matches);

        return [.. rows
            .Select(row =>
            {
                var similarity = 1 - row.Value.Distance;
                var covered = coverage.GetValueOrDefault(row.Key);
                return new SearchHit
                {
                    Memory = row.Value.Record,
                    Score = Math.Round(similarity, 4),
                    VectorRank = vectorRank.TryGetValue(row.Key, out var v) ? v : null,
                    KeywordRank = keywordRank.TryGetValue(row.Key, out var k) ? k : null,
                    Coverage = Math.Round(covered, 3),
                    Fused = Math.Round(HybridScore.Fuse(similarity, covered), 4),
                };
            })
            .Where(h => request.Threshold is null || h.Score >= request.Threshold)
            .OrderByDescending(h => h.Fused)
            .ThenBy(h => h.VectorRank ?? int.MaxValue)
            .Take(request.Limit)];
    }

    private Dictionary<long, double> Coverage(KeywordQuery keywords, List<int> useful, long documents, IReadOnlyList<long> frequencies, List<long> keys)
    {
        if (useful.Count == 0 || keys.Count == 0) return [];
        var idf = useful.Select(i => HybridScore.Idf(documents, frequencies[i])).ToList();
        var matched = useful.Select(i => _store.CandidatesMatching(keywords.Term(i), keys)).ToList();
        return keys.ToDictionary(k => k, k => HybridScore.Coverage(idf, [.. matched.Select(m => m.Contains(k))]));
    }

    private static Dictionary<long, int> Ranks(IReadOnlyList<long> keys) => keys.Select((key, i) => (key, i + 1)).ToDictionary(p => p.key, p => p.Item2);

    public Task<MemoryRecord> GetAsync(string id, string? userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Owned(id, userId));
    }

    public Task<Page<MemoryRecord>> ListAsync(ListRequest request, CallContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (page, pageSize) = Validation.Page(request.Page, request.PageSize);
        var query = Query(Validation.Scope(request.Scope), request.Filter, context, request.AllProjects);
        return Task.FromResult(_store.List(query, page, pageSize));
    }

    /// <summary>Changes a memory's text and/or metadata. The text is embedded outside the write lock; the store then
    /// commits it only if the memory's text is still the one that was read (or the vector made for the new text came
    /// along), so the vector always belongs to the committed text, whoever else writes meanwhile.</summary>
    public async Task<MemoryRecord> UpdateAsync(UpdateRequest request, CallContext context, CancellationToken cancellationToken)
    {
        if (request.Text is null && request.Metadata is null) throw LocalMemoryException.Invalid("give text or metadata to update");
        var text = request.Text is null ? null : Validation.Admit(request.Text, "text", Options.Secrets);
        var metadata = Validation.Metadata(request.Metadata, Options.Secrets);
        var started = Stopwatch.GetTimestamp();
        float[]? vector = null;
        for (var attempt = 1; ; attempt++)
        {
            var existing = Owned(request.Id, request.UserId);
            if (text is not null && text != existing.Memory && vector is null) vector = (await EmbedderAsync(cancellationToken)).EmbedDocuments([text])[0];
            var now = Json.Timestamp(DateTimeOffset.UtcNow);
            var results = new JsonArray(new JsonObject { ["id"] = existing.Id, ["memory"] = text ?? existing.Memory, ["event"] = "UPDATE", ["previous_memory"] = existing.Memory });
            var updated = _store.Update(existing.Id, text, text is null ? null : Hash(text), vector, metadata, now,
                Event(NewId(), "UPDATE", existing.UserId, context.AppId, now, started, results));
            if (updated is not null) return updated;
            if (attempt >= MaxPlanAttempts) throw LocalMemoryException.System($"memory {existing.Id} kept changing while it was being updated; try again");
        }
    }

    public Task<DeleteResult> DeleteAsync(string id, string? userId, CallContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var existing = Owned(id, userId);
        var started = Stopwatch.GetTimestamp();
        var eventId = NewId();
        var now = Json.Timestamp(DateTimeOffset.UtcNow);
        var deleted = _store.Delete(null, existing.Id, d => Event(eventId, "DELETE", existing.UserId, context.AppId, now, started, DeletedJson(d)));
        return Task.FromResult(new DeleteResult(eventId, deleted[0]));
    }

    /// <summary>Deletes exactly what <see cref="ListAsync"/> with the same scope shows: the user's global memories and the current project's.</summary>
    public Task<DeleteAllResult> DeleteAllAsync(Scope scope, CallContext context, bool allProjects, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        scope = Validation.Scope(scope);
        return Task.FromResult(DeleteWhere("DELETE_ALL", Query(scope, null, context, allProjects), context));
    }

    /// <summary>Deletes every memory of the named entities, in every project (user_id defaults to the default user).</summary>
    public Task<DeleteAllResult> DeleteEntitiesAsync(Scope scope, CallContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        scope = Validation.Scope(scope);
        if (scope is { UserId: null, AgentId: null, AppId: null, RunId: null })
            throw LocalMemoryException.Invalid("name at least one of user_id, agent_id, app_id, run_id");
        return Task.FromResult(DeleteWhere("DELETE_ENTITIES", Query(scope, null, context, allProjects: true) with { IncludeExpired = true }, context));
    }

    private DeleteAllResult DeleteWhere(string type, MemoryQuery query, CallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var eventId = NewId();
        var now = Json.Timestamp(DateTimeOffset.UtcNow);
        var deleted = _store.Delete(query, null, d => Event(eventId, type, query.UserId, context.AppId, now, started, new JsonObject { ["deleted"] = d.Count }));
        return new DeleteAllResult(eventId, deleted.Count);
    }

    public Task<Page<Entity>> ListEntitiesAsync(string? userId, int page, int pageSize, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        (page, pageSize) = Validation.Page(page, pageSize);
        return Task.FromResult(_store.Entities(Validation.Id(userId, "user_id"), page, pageSize));
    }

    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var history = _store.History(Validation.Id(id, "memory_id") ?? throw LocalMemoryException.Invalid("memory_id is required"));
        return Task.FromResult(history.Count > 0 ? history : throw LocalMemoryException.NotFound($"memory {id} has no history (it never existed)"));
    }

    public Task<Page<EventRecord>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (page, pageSize) = Validation.Page(query.Page, query.PageSize);
        var since = Validation.Time(query.Since, "since");
        return Task.FromResult(_store.ListEvents(Validation.Id(query.Type, "event_type"), query.Status, Validation.Id(query.MemoryId, "memory_id"), since, null, page, pageSize));
    }

    public Task<EventRecord> GetEventAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var evt = _store.GetEvent(Validation.Id(id, "event_id") ?? throw LocalMemoryException.Invalid("event_id is required"));
        return Task.FromResult(evt ?? throw LocalMemoryException.NotFound($"event {id} does not exist"));
    }

    private MemoryRecord Owned(string id, string? userId)
    {
        id = Validation.Id(id, "memory_id") ?? throw LocalMemoryException.Invalid("memory_id is required");
        var memory = _store.Get(id);
        return memory is not null && memory.UserId == (Validation.Id(userId, "user_id") ?? Options.UserId)
            ? memory
            : throw LocalMemoryException.NotFound($"memory {id} does not exist");
    }

    private MemoryQuery Query(Scope scope, MemoryFilter? filter, CallContext context, bool allProjects) => new()
    {
        UserId = filter?.Mentions("user_id") == true && scope.UserId is null ? null : scope.UserId ?? Options.UserId,
        AgentId = scope.AgentId,
        AppId = scope.AppId,
        RunId = scope.RunId,
        Project = context.Project,
        AllProjects = allProjects || filter?.Mentions("project") == true,
        Filter = filter,
    };

    /// <summary>The model, loaded, after checking that the database's vectors are this model's. Checked on every call
    /// (one read of the meta table): another process may re-embed the store with another model at any time. Writes
    /// check again inside their transaction.</summary>
    private async Task<IEmbedder> EmbedderAsync(CancellationToken cancellationToken)
    {
        CheckModel();
        return await _embedder.GetAsync(cancellationToken);
    }

    private void CheckModel()
    {
        if (_store.RequireSearchableModel() is null) _store.InitializeVectors(_model.Value.Name, _model.Value.Dimension);
    }

    internal static string NewId() => Guid.CreateVersion7().ToString();

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static EventRecord Event(string id, string type, string? userId, string? appId, string createdAt, long started, JsonNode results) => new()
    {
        Id = id,
        Type = type,
        Status = EventStatus.Succeeded,
        UserId = userId,
        AppId = appId,
        Results = results,
        CreatedAt = createdAt,
        FinishedAt = Json.Timestamp(DateTimeOffset.UtcNow),
        DurationMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2),
    };

    private static JsonArray ChangesJson(IReadOnlyList<MemoryChange> changes) =>
        [.. changes.Select(c => (JsonNode)new JsonObject { ["id"] = c.Id, ["memory"] = c.Memory, ["event"] = c.Event.ToString().ToUpperInvariant() })];

    private static JsonArray DeletedJson(IReadOnlyList<MemoryRecord> deleted) =>
        [.. deleted.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["memory"] = d.Memory, ["event"] = "DELETE" })];

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stopping.Cancel();
        try { _worker?.Wait(TimeSpan.FromSeconds(10)); }
        catch (AggregateException) { } // cancelled mid-way: the event stays RUNNING and the next process finishes it
        _embedder.Dispose();
        _store.Dispose();
        _stopping.Dispose();
        _workSignal.Dispose();
    }
}
