using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LocalMemory.Core;

namespace LocalMemory.Cli.Setup;

/// <summary>localmem's hooks in a client's hooks file: Codex's $CODEX_HOME/hooks.json or Claude Code's
/// ~/.claude/settings.json. Both take the same shape, <c>{"hooks": {"Event": [{"matcher"?, "hooks": [{"type":
/// "command", "command", "timeout"}]}]}}</c>, run the command through the shell with the hook's JSON on stdin, and
/// read its stdout.</summary>
/// <remarks>localmem's handlers are recognised by their command (the localmem program, then <c>hook EVENT --agent
/// A</c>), so re-running setup from a moved install replaces them, and removing them leaves everyone else's.</remarks>
internal static partial class HookConfig
{
    /// <summary>Seconds a client waits for one hook before it kills it; the hook gives up by itself well before.</summary>
    public const int TimeoutSeconds = 10;

    /// <summary>The client's event name for each localmem hook, in the order they are written.</summary>
    public static readonly IReadOnlyList<(string Client, string Hook)> Events =
        [("SessionStart", "session-start"), ("UserPromptSubmit", "prompt"), ("Stop", "stop"), ("PreCompact", "pre-compact")];

    /// <summary>The shell command a hook runs: localmem (each word quoted when it must be), then the hook's arguments.</summary>
    public static string Command(ServerCommand localmem, string hook, string agent) =>
        string.Join(' ', localmem.Args.SkipLast(1).Prepend(localmem.Command).Select(Quote)) + $" hook {hook} --agent {agent}";

    public static JsonObject Handler(string command) => new() { ["type"] = "command", ["command"] = command, ["timeout"] = TimeoutSeconds };

    public static bool IsOurs(JsonNode? handler) => handler?["command"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Ours().IsMatch(v.GetValue<string>());

    /// <summary>The file's JSON with localmem's handlers replaced by these (or only removed); the rest is kept.</summary>
    public static JsonObject Apply(JsonObject root, ServerCommand? localmem, string agent)
    {
        if (root["hooks"] is not JsonObject events)
        {
            if (root["hooks"] is not null) throw LocalMemoryException.Invalid("'hooks' in the file is not an object; fix it first, localmem did not change it");
            root["hooks"] = events = [];
        }
        foreach (var (name, value) in events.ToList())
        {
            if (value is not JsonArray groups) continue;
            foreach (var group in groups.OfType<JsonObject>().ToList())
            {
                if (group["hooks"] is not JsonArray handlers || !handlers.Any(IsOurs)) continue;
                foreach (var handler in handlers.Where(IsOurs).ToList()) handlers.Remove(handler);
                if (handlers.Count == 0) groups.Remove(group);
            }
            if (groups.Count == 0) events.Remove(name);
        }
        if (localmem is not null)
        {
            foreach (var (name, hook) in Events)
            {
                if (events[name] is not JsonArray groups) events[name] = groups = [];
                groups.Add((JsonNode)new JsonObject { ["hooks"] = new JsonArray(Handler(Command(localmem, hook, agent))) });
            }
        }
        if (events.Count == 0) root.Remove("hooks");
        return root;
    }

    /// <summary>The handlers of localmem's hooks in the file: each event's group and handler index, and its command.</summary>
    public static IEnumerable<(string Event, int Group, int Handler, JsonObject Entry)> Ours(JsonObject root)
    {
        if (root["hooks"] is not JsonObject events) yield break;
        foreach (var (name, value) in events)
        {
            if (value is not JsonArray groups) continue;
            for (var g = 0; g < groups.Count; g++)
                if (groups[g]?["hooks"] is JsonArray handlers)
                    for (var h = 0; h < handlers.Count; h++)
                        if (IsOurs(handlers[h])) yield return (name, g, h, (JsonObject)handlers[h]!);
        }
    }

    public static JsonObject Parse(string? text, string path)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw LocalMemoryException.Invalid($"{path} does not hold a JSON object; fix it first, localmem did not change it");
        }
        catch (JsonException e)
        {
            throw LocalMemoryException.Invalid($"{path} is not valid JSON ({e.Message}); fix it first, localmem did not change it");
        }
    }

    public static string Write(JsonObject root) => root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Single quotes for the shell when a word has anything but plain characters.</summary>
    private static string Quote(string word) =>
        Plain().IsMatch(word) ? word : OperatingSystem.IsWindows() ? $"\"{word}\"" : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:\\-]+$")]
    private static partial Regex Plain();

    // The program is localmem itself (install.sh, a bundle, the .NET tool's shim, dotnet localmem.dll) or dnx running the
    // LocalMemory package, whose own arguments end at "--" (see ServerCommand).
    [GeneratedRegex(@"(?:localmem(?:\.exe|\.dll)?['""]?| LocalMemory .* --) hook (?:session-start|prompt|stop|pre-compact) --agent [a-z]+$")]
    private static partial Regex Ours();
}
