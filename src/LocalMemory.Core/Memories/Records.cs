using System.Text.Json.Nodes;

namespace LocalMemory.Core.Memories;

/// <summary>One memory as callers see it: no embedding, no internal columns.</summary>
public sealed record MemoryRecord
{
    public required string Id { get; init; }
    public required string Memory { get; init; }
    public required string UserId { get; init; }
    public string? AgentId { get; init; }
    public string? AppId { get; init; }
    public string? RunId { get; init; }
    /// <summary>The repository this memory belongs to; null for a global memory.</summary>
    public string? Project { get; init; }
    public JsonObject Metadata { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }
    public required string Hash { get; init; }
    public JsonObject Source { get; init; } = new() { ["type"] = "verbatim" };
    public string? ExpirationDate { get; init; }
    /// <summary>When the fact was stated or held (ISO 8601 UTC); by default when it was stored.</summary>
    public string? Timestamp { get; init; }
}

/// <summary>A search hit: the memory, its place in the fused ranking and why it ranked there.</summary>
public sealed record SearchHit
{
    public required MemoryRecord Memory { get; init; }
    /// <summary>Cosine similarity of the memory to the query (1 = same meaning).</summary>
    public required double Score { get; init; }
    /// <summary>Rank among the vector candidates (1 = nearest), null if not among them.</summary>
    public int? VectorRank { get; init; }
    /// <summary>Rank among the keyword (BM25) candidates, null if no keyword matched.</summary>
    public int? KeywordRank { get; init; }
    /// <summary>Keyword evidence, 0..1: FTS5's bm25() for the query's words (or their synonyms), relative to the best match.</summary>
    public double Coverage { get; init; }
    /// <summary>A turn ("Name: ...") spoken by someone the query names.</summary>
    public bool Speaker { get; init; }
    /// <summary>The best own score of the memory's neighbours (the turns stored around it by the same add call).</summary>
    public double Context { get; init; }
    /// <summary>0..1: how well the memory's time fits the time the query names (0 when it names none).</summary>
    public double Time { get; init; }
    /// <summary>The score that orders the results: the sum of the weighted parts (see Search/Fusion.cs).</summary>
    public required double Fused { get; init; }
}

public enum ChangeKind { Add, Update, Delete, None }

/// <summary>What one call did to one memory.</summary>
public sealed record MemoryChange(string Id, string Memory, ChangeKind Event, string? PreviousMemory = null);

public enum EventStatus { Pending, Running, Succeeded, Failed }

/// <summary>One call that changed memories.</summary>
public sealed record EventRecord
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required EventStatus Status { get; init; }
    public string? UserId { get; init; }
    public string? AppId { get; init; }
    public JsonNode? Results { get; init; }
    public string? Error { get; init; }
    public required string CreatedAt { get; init; }
    public string? FinishedAt { get; init; }
    public double? DurationMs { get; init; }
}

/// <summary>One change in a memory's history.</summary>
public sealed record HistoryEntry
{
    public required long Id { get; init; }
    public required string MemoryId { get; init; }
    public required ChangeKind Event { get; init; }
    public string? OldMemory { get; init; }
    public string? NewMemory { get; init; }
    public string? AppId { get; init; }
    public string? EventId { get; init; }
    public required string CreatedAt { get; init; }
}

public enum EntityType { User, Agent, App, Run }

public sealed record Entity
{
    public required string Id { get; init; }
    public required EntityType Type { get; init; }
    public required long Memories { get; init; }
    public required string FirstSeen { get; init; }
    public required string LastSeen { get; init; }
}

public sealed record Page<T>(IReadOnlyList<T> Results, [property: System.Text.Json.Serialization.JsonPropertyName("page")] int PageNumber, int PageSize, long Total);
