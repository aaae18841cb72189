using System.Text.Json.Nodes;

namespace LocalMemory.Core.Memories;

/// <summary>Who is calling: the defaults a host fills in for every call.</summary>
/// <param name="AppId">The tool that writes (the MCP client's name, or "cli").</param>
/// <param name="Project">The caller's current project (its git repository), or null outside one.</param>
public sealed record CallContext(string? AppId, string? Project);

/// <summary>Optional scope ids of a call; a missing user_id means the default user.</summary>
public sealed record Scope(string? UserId = null, string? AgentId = null, string? AppId = null, string? RunId = null);

public sealed record Message(string Role, string Content);

public sealed record AddRequest
{
    /// <summary>The text to remember, or null when <see cref="Messages"/> are given.</summary>
    public string? Text { get; init; }
    public IReadOnlyList<Message>? Messages { get; init; }
    public Scope Scope { get; init; } = new();
    public JsonObject? Metadata { get; init; }
    public IReadOnlyList<string>? Categories { get; init; }
    /// <summary>Store as a global memory even inside a project.</summary>
    public bool Global { get; init; }
    public string? ExpirationDate { get; init; }
    /// <summary>When the fact was stated or held (ISO 8601); null: now.</summary>
    public string? Timestamp { get; init; }
    /// <summary>Turn the text into facts and reconcile them with what is stored; false keeps it word for word.</summary>
    public bool Infer { get; init; }
    /// <summary>May a long conversation be inferred in the background (the call then answers PENDING)?</summary>
    public bool Background { get; init; }
}

public sealed record AddResult(string EventId, EventStatus Status, IReadOnlyList<MemoryChange> Results);

public sealed record SearchRequest
{
    public required string Query { get; init; }
    public Scope Scope { get; init; } = new();
    public MemoryFilter? Filter { get; init; }
    public int Limit { get; init; } = Constants.DefaultSearchLimit;
    /// <summary>Minimum cosine similarity of a result to the query.</summary>
    public double? Threshold { get; init; }
    public bool AllProjects { get; init; }
}

public sealed record ListRequest
{
    public Scope Scope { get; init; } = new();
    public MemoryFilter? Filter { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = Constants.DefaultPageSize;
    public bool AllProjects { get; init; }
}

public sealed record UpdateRequest(string Id, string? Text, JsonObject? Metadata, string? UserId = null);

public sealed record EventQuery(string? Type = null, EventStatus? Status = null, string? MemoryId = null, string? Since = null, int Page = 1, int PageSize = Constants.DefaultPageSize);

public sealed record DeleteAllResult(string EventId, int Deleted);

public sealed record DeleteResult(string EventId, MemoryRecord Deleted);
