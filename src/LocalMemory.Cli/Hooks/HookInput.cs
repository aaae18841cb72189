using System.Text.Json;
using System.Text.Json.Nodes;

namespace LocalMemory.Cli.Hooks;

/// <summary>The JSON a client writes on a hook's stdin. Codex 0.169 and Claude Code 2.1 send the same names:
/// session_id, transcript_path, cwd and hook_event_name always; prompt (UserPromptSubmit); last_assistant_message (Stop;
/// neither client's Stop has the prompt); source (SessionStart: startup, resume, clear, compact); trigger (PreCompact).
/// A turn is named by turn_id (Codex) or prompt_id (Claude Code) in both its UserPromptSubmit and its Stop.</summary>
internal sealed record HookInput(string? SessionId, string? Cwd, string? Prompt, string? LastAssistantMessage, string? TranscriptPath, string? TurnId)
{
    public static HookInput Parse(string stdin)
    {
        JsonObject? json = null;
        try { json = string.IsNullOrWhiteSpace(stdin) ? null : JsonNode.Parse(stdin) as JsonObject; }
        catch (JsonException) { } // not the client's JSON: answer as for an empty input
        return new HookInput(Text(json, "session_id"), Text(json, "cwd"), Text(json, "prompt"), Text(json, "last_assistant_message"), Text(json, "transcript_path"), Text(json, "turn_id") ?? Text(json, "prompt_id"));
    }

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
