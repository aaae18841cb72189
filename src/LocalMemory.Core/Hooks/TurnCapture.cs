using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Hooks;

/// <summary>Keeps a finished turn (the prompt and the assistant's answer) for inference in the background, so that the
/// hook that hands it over returns at once and never asks the model for anything.</summary>
public static class TurnCapture
{
    /// <summary>Each message's share at most; together well inside a conversation's limit.</summary>
    private const int MaxMessageChars = 16_000;

    /// <summary>The queued event's id, or null when there was nothing new to keep (an empty turn, or one already queued
    /// in this session, as when PreCompact follows Stop).</summary>
    public static async Task<string?> QueueAsync(MemoryService service, HookSession session, TurnInput turn, CallContext context, CancellationToken cancellationToken)
    {
        var messages = new List<Message>();
        if (Clean(turn.Prompt) is { } prompt) messages.Add(new Message("user", prompt));
        if (Clean(turn.Answer) is { } answer) messages.Add(new Message("assistant", answer));
        if (messages.Count == 0) return null;
        var hash = MemoryService.Hash(string.Join("\n\0", messages.Select(m => m.Role + ":" + m.Content)));
        if (session.Queued.Contains(hash)) return null;
        var metadata = new JsonObject { ["captured_by"] = turn.Hook };
        if (turn.SessionId is { Length: > 0 and <= Constants.MaxIdChars } id) metadata["session_id"] = id;
        var queued = await service.QueueAsync(new AddRequest { Messages = messages, Metadata = metadata }, context, cancellationToken);
        session.Queued.Add(hash);
        return queued.EventId;
    }

    /// <summary>The text, cut to its share (never inside a surrogate pair) and without NUL characters; null if empty.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Replace("\0", "", StringComparison.Ordinal).Trim();
        if (text.Length > MaxMessageChars) text = text[..(char.IsHighSurrogate(text[MaxMessageChars - 1]) ? MaxMessageChars - 1 : MaxMessageChars)];
        return text.Length == 0 ? null : text;
    }
}

/// <summary>A turn as a hook sees it; <paramref name="Hook"/> is the event that captured it (stop, pre-compact).</summary>
public sealed record TurnInput(string? Prompt, string? Answer, string? SessionId, string Hook);
