using System.Text.Json.Nodes;

namespace LocalMemory.Core.Memories;

/// <summary>Checks on what callers send, each failing with a message that names what was wrong.</summary>
internal static class Validation
{
    private static readonly string[] ScopeKeys = ["user_id", "agent_id", "app_id", "run_id", "project"];

    public static string Text(string? text, string what = "text", int max = Constants.MaxMemoryChars)
    {
        if (text is null || string.IsNullOrWhiteSpace(text)) throw LocalMemoryException.Invalid($"{what} is empty");
        text = text.Trim();
        if (text.Length > max) throw LocalMemoryException.Invalid($"{what} is {text.Length} characters long; the limit is {max}");
        if (text.Contains('\0', StringComparison.Ordinal)) throw LocalMemoryException.Invalid($"{what} contains a NUL character");
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) throw LocalMemoryException.Invalid($"{what} is not valid Unicode (a lone surrogate at {i})");
        }
        return text;
    }

    /// <summary>The one door for text into the store (add, update, import, sync): checked like <see cref="Text"/>, then
    /// its credentials redacted, or the text refused, as the secrets policy says.</summary>
    public static string Admit(string? text, string what, Security.SecretsMode secrets) => Security.SecretScanner.Apply(Text(text, what), secrets, what);

    /// <summary>Text or a conversation, as messages; each message's content checked like a memory's text.</summary>
    public static IReadOnlyList<Message> Messages(string? text, IReadOnlyList<Message>? messages)
    {
        if (text is not null && messages is not null) throw LocalMemoryException.Invalid("give either text or messages, not both");
        if (messages is null) return [new Message("user", Text(text))];
        if (messages.Count == 0) throw LocalMemoryException.Invalid("messages is empty");
        if (messages.Count > Constants.MaxMessages) throw LocalMemoryException.Invalid($"messages holds {messages.Count} messages; the limit is {Constants.MaxMessages}");
        var total = messages.Sum(m => m.Content?.Length ?? 0);
        if (total > Constants.MaxConversationChars)
            throw LocalMemoryException.Invalid($"the conversation is {total} characters long; the limit is {Constants.MaxConversationChars}");
        var checkedMessages = messages.Select((m, i) => new Message(
            m.Role?.Trim().ToLowerInvariant() switch
            {
                "user" or "assistant" or "system" or "tool" => m.Role.Trim().ToLowerInvariant(),
                var other => throw LocalMemoryException.Invalid($"messages[{i}].role must be user, assistant or system, got '{other}'"),
            },
            Text(m.Content, $"messages[{i}].content"))).ToList();
        return checkedMessages.Any(m => m.Role != "system") ? checkedMessages : throw LocalMemoryException.Invalid("messages hold only system messages");
    }

    public static string? Id(string? value, string name)
    {
        if (value is null) return null;
        if (string.IsNullOrWhiteSpace(value)) throw LocalMemoryException.Invalid($"{name} is empty; leave it out instead");
        if (value.Length > Constants.MaxIdChars) throw LocalMemoryException.Invalid($"{name} is longer than {Constants.MaxIdChars} characters");
        if (value.Any(char.IsControl)) throw LocalMemoryException.Invalid($"{name} contains control characters");
        return value.Trim();
    }

    public static Scope Scope(Scope scope) => new(
        Id(scope.UserId, "user_id"), Id(scope.AgentId, "agent_id"), Id(scope.AppId, "app_id"), Id(scope.RunId, "run_id"));

    public static JsonObject? Metadata(JsonObject? metadata, Security.SecretsMode secrets)
    {
        if (metadata is null) return null;
        metadata = (JsonObject)Secrets(metadata, secrets, "metadata")!;
        var json = metadata.ToJsonString();
        if (json.Length > Constants.MaxMetadataBytes)
            throw LocalMemoryException.Invalid($"metadata is {json.Length} bytes of JSON; the limit is {Constants.MaxMetadataBytes}");
        if (Depth(metadata) > Constants.MaxMetadataDepth)
            throw LocalMemoryException.Invalid($"metadata is nested deeper than {Constants.MaxMetadataDepth} levels");
        foreach (var key in ScopeKeys)
            if (metadata.ContainsKey(key))
                throw LocalMemoryException.Invalid($"metadata cannot hold '{key}': scope ids are set by their own parameters and fixed at creation");
        return metadata;
    }

    public static IReadOnlyList<string> Categories(IReadOnlyList<string>? categories)
    {
        if (categories is null) return [];
        if (categories.Count > 16) throw LocalMemoryException.Invalid("at most 16 categories");
        return [.. categories.Select(c => Id(c, "category")!.ToLowerInvariant()).Distinct()];
    }

    public static string? Time(string? value, string name)
    {
        if (value is null) return null;
        return MemoryFilter.TryTime(value, out var t) ? t
            : throw LocalMemoryException.Invalid($"{name} must be an ISO 8601 date or time such as 2026-12-31, got '{value}'");
    }

    public static (int Page, int PageSize) Page(int page, int pageSize)
    {
        if (page < 1) throw LocalMemoryException.Invalid($"page starts at 1, got {page}");
        if (pageSize < 1 || pageSize > Constants.MaxPageSize)
            throw LocalMemoryException.Invalid($"page_size must be between 1 and {Constants.MaxPageSize}, got {pageSize}");
        if ((long)page * pageSize > int.MaxValue) throw LocalMemoryException.Invalid($"page {page} is out of range");
        return (page, pageSize);
    }

    /// <summary>Applies the secrets mode to every string in a JSON value.</summary>
    private static JsonNode? Secrets(JsonNode? node, Security.SecretsMode mode, string path) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Secrets(p.Value, mode, $"{path}.{p.Key}")))),
        JsonArray a => new JsonArray([.. a.Select((v, i) => Secrets(v, mode, $"{path}[{i}]"))]),
        JsonValue v when v.TryGetValue<string>(out var text) => JsonValue.Create(Security.SecretScanner.Apply(text, mode, path)),
        _ => node?.DeepClone(),
    };

    private static int Depth(JsonNode? node) => node switch
    {
        JsonObject o => 1 + o.Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonArray a => 1 + a.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
