using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LocalMemory.Core.Hooks;

/// <summary>What the hooks of one client session remember between their calls: the memories already shown to the
/// model (so that a prompt never shows one twice), the last prompt (no client's Stop hook repeats it) and the
/// turns already queued (Stop and PreCompact may see the same one). One small file per session under the home's run/
/// folder: hooks run one after another within a session, each in its own process or in the daemon.</summary>
public sealed class HookSession
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);
    private const int MaxQueued = 64;

    private readonly string? _path;

    private HookSession(string? path) => _path = path;

    public HashSet<string> Shown { get; } = [];

    public string? LastPrompt { get; set; }

    /// <summary>The turn <see cref="LastPrompt"/> belongs to, when the client names turns.</summary>
    public string? LastPromptTurn { get; set; }

    /// <summary>Hashes of the turns already queued, newest last.</summary>
    public List<string> Queued { get; } = [];

    /// <summary>The session's state, or an empty one that is never saved when the client gave no session id. A file
    /// that cannot be read is treated as a fresh session: losing it costs a repeat, never a turn.</summary>
    public static HookSession Load(string directory, string? sessionId)
    {
        if (string.IsNullOrWhiteSpace(sessionId)) return new HookSession(null);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)))[..32];
        var session = new HookSession(Path.Combine(directory, key + ".json"));
        try
        {
            if (!File.Exists(session._path) || JsonNode.Parse(File.ReadAllText(session._path!)) is not JsonObject state) return session;
            foreach (var id in state["shown"] as JsonArray ?? []) if (id?.GetValueKind() == JsonValueKind.String) session.Shown.Add(id.GetValue<string>());
            foreach (var hash in state["queued"] as JsonArray ?? []) if (hash?.GetValueKind() == JsonValueKind.String) session.Queued.Add(hash.GetValue<string>());
            session.LastPrompt = Text(state, "last_prompt");
            session.LastPromptTurn = Text(state, "last_prompt_turn");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { }
        return session;
    }

    /// <summary>Writes the state (a temporary file, then a rename, so a reader never sees half of it).</summary>
    public void Save()
    {
        if (_path is null) return;
        var state = new JsonObject
        {
            ["shown"] = new JsonArray([.. Shown.Select(id => (JsonNode)id)]),
            ["queued"] = new JsonArray([.. Queued.TakeLast(MaxQueued).Select(h => (JsonNode)h)]),
            ["last_prompt"] = LastPrompt is null ? null : Security.SecretScanner.Redact(LastPrompt, Security.SecretScanner.Find(LastPrompt)), // no credential rests here
            ["last_prompt_turn"] = LastPromptTurn,
        };
        var directory = Path.GetDirectoryName(_path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = $"{_path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllText(temp, state.ToJsonString());
        File.Move(temp, _path, overwrite: true);
    }

    private static string? Text(JsonObject state, string name) => state[name]?.GetValueKind() == JsonValueKind.String ? state[name]!.GetValue<string>() : null;

    /// <summary>Removes the state of sessions not seen for a week.</summary>
    public static void Prune(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            try { if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > KeepFor) File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another process got there first
        }
    }
}
