using System.Text.Json.Nodes;

namespace LocalMemory.Core.Memories;

/// <summary>An add request, validated and with its defaults filled in; serialisable, so that background work
/// survives the process that accepted it.</summary>
internal sealed record AddInput
{
    public required IReadOnlyList<Message> Messages { get; init; }
    public required string UserId { get; init; }
    public string? AgentId { get; init; }
    public string? AppId { get; init; }
    public string? RunId { get; init; }
    public string? Project { get; init; }
    public JsonObject Metadata { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? ExpirationDate { get; init; }

    public bool IsLong =>
        Messages.Count > Constants.BackgroundInferenceMessages || Messages.Sum(m => m.Content.Length) > Constants.BackgroundInferenceChars;

    public static AddInput From(AddRequest request, CallContext context, string defaultUserId, Security.SecretsMode secrets)
    {
        var scope = Validation.Scope(request.Scope);
        return new AddInput
        {
            Messages = [.. Validation.Messages(request.Text, request.Messages).Select((m, i) => m with { Content = Validation.Admit(m.Content, request.Text is null ? $"messages[{i}].content" : "text", secrets) })],
            UserId = scope.UserId ?? defaultUserId,
            AgentId = scope.AgentId,
            AppId = scope.AppId ?? context.AppId,
            RunId = scope.RunId,
            Project = request.Global ? null : context.Project,
            Metadata = Validation.Metadata(request.Metadata, secrets) ?? [],
            Categories = Validation.Categories(request.Categories),
            ExpirationDate = Validation.Time(request.ExpirationDate, "expiration_date"),
        };
    }

    /// <summary>The memory to store for one text; <paramref name="source"/> says where an extracted fact came from.</summary>
    public MemoryRecord NewRecord(string text, string now, JsonObject? source, IReadOnlyList<string> categories) => new()
    {
        Id = MemoryService.NewId(),
        Memory = text,
        Hash = MemoryService.Hash(text),
        UserId = UserId,
        AgentId = AgentId,
        AppId = AppId,
        RunId = RunId,
        Project = Project,
        Metadata = (JsonObject)Metadata.DeepClone(),
        Categories = [.. Categories.Union(categories)],
        Source = source ?? new JsonObject { ["type"] = "verbatim" },
        CreatedAt = now,
        UpdatedAt = now,
        ExpirationDate = ExpirationDate,
    };

    public string ToJson() => Json.Serialize(this);

    public static AddInput FromJson(string json) => Json.Deserialize<AddInput>(json)
        ?? throw LocalMemoryException.System("a pending event's input is empty");
}
