using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LocalMemory.Cli.Hooks;

/// <summary>The last turn of a client's transcript (JSON Lines), for hooks whose stdin does not carry it (PreCompact,
/// and Codex's Stop, which has the answer but not the prompt).</summary>
/// <remarks>Claude Code writes <c>{"type":"user"|"assistant","message":{"content": text or blocks}}</c>; Codex writes
/// <c>{"type":"response_item","payload":{"type":"message","role":...,"content":[{"type":"input_text"|"output_text","text":...}]}}</c>.
/// Both put context they add themselves (environment, reminders, commands) in user messages that start with a tag,
/// which are not the user's words. Only the file's last part is read: a long session's transcript runs to megabytes.</remarks>
internal static class Transcript
{
    private const int TailBytes = 1 << 20;

    /// <summary>The last prompt and the assistant's text after it; nulls when the file is missing or unreadable.</summary>
    public static (string? Prompt, string? Answer) LastTurn(string? path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return (null, null);
        string? prompt = null;
        var answer = new List<string>();
        foreach (var line in Tail(path))
        {
            JsonObject? entry;
            try { entry = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; } // a line cut by the tail, or being written
            if (entry is null || Message(entry) is not var (role, text) || string.IsNullOrWhiteSpace(text)) continue;
            if (role == "user" && !text.TrimStart().StartsWith('<'))
            {
                prompt = text;
                answer.Clear();
            }
            else if (role == "assistant") answer.Add(text);
        }
        return (prompt, answer.Count == 0 ? null : string.Join("\n\n", answer));
    }

    private static readonly string[] NotConversation = ["isMeta", "isSidechain", "isCompactSummary", "isVisibleInTranscriptOnly"];

    private static (string Role, string Text)? Message(JsonObject entry)
    {
        // Claude Code marks what is not the conversation itself: its own notes, subagents' turns, a compaction's summary.
        if (NotConversation.Any(flag => entry[flag]?.GetValueKind() == JsonValueKind.True)) return null;
        var message = entry["type"]?.ToString() switch
        {
            "user" or "assistant" => entry["message"] as JsonObject,
            "response_item" when entry["payload"]?["type"]?.ToString() == "message" => entry["payload"] as JsonObject,
            _ => null,
        };
        if (message?["role"]?.ToString() is not ("user" or "assistant") || message["role"]!.ToString() is not { } role) return null;
        return (role, message["content"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonArray blocks => string.Join("\n", blocks.OfType<JsonObject>()
                .Where(b => b["type"]?.ToString() is "text" or "input_text" or "output_text")
                .Select(b => b["text"]?.ToString()).OfType<string>()),
            _ => "",
        });
    }

    private static IEnumerable<string> Tail(string path)
    {
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length > TailBytes) file.Seek(-TailBytes, SeekOrigin.End);
            using var reader = new StreamReader(file, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (var line in text.Split('\n')) if (line.Length > 0) yield return line;
    }
}
