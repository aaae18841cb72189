namespace LocalMemory.Core.Memories;

/// <summary>Which memories a call sees: one user's, in the global scope plus one project, narrowed by scope ids and a filter.</summary>
public sealed record MemoryQuery
{
    /// <summary>The user whose memories these are; null only when the filter names user_id itself.</summary>
    public string? UserId { get; init; }
    public string? AgentId { get; init; }
    public string? AppId { get; init; }
    public string? RunId { get; init; }

    /// <summary>The current project: visible together with the global memories. Null: only global memories.</summary>
    public string? Project { get; init; }

    /// <summary>See every project's memories (the call asked for it, or the filter names project).</summary>
    public bool AllProjects { get; init; }

    public MemoryFilter? Filter { get; init; }

    public bool IncludeExpired { get; init; }
}
