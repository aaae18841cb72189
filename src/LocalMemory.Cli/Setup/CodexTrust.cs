using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LocalMemory.Core;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace LocalMemory.Cli.Setup;

/// <summary>Codex's trust in a user hook: Codex 0.169 runs a hook from hooks.json only when config.toml holds
/// <c>[hooks.state."&lt;hooks.json path&gt;:&lt;event_snake&gt;:&lt;group&gt;:&lt;handler&gt;"]</c> with
/// <c>trusted_hash</c> equal to the handler's current hash (what approving it in /hooks writes).</summary>
/// <remarks>The hash is "sha256:" and the hex SHA-256 of the handler's identity as compact JSON with its keys sorted
/// (serde_json's output: no spaces, only quotes, backslashes and control characters escaped): <c>{"event_name":
/// "session_start","hooks":[{"async":false,"command":...,"timeout":10,"type":"command"}]}</c>. A matcher and a status
/// message would join it; localmem's hooks have neither. Checked against Codex itself by the client tests.</remarks>
internal static partial class CodexTrust
{
    public static string Hash(string eventSnake, string command, int timeoutSeconds)
    {
        var identity = new StringBuilder();
        identity.Append("{\"event_name\":").Append(JsonString(eventSnake))
            .Append(",\"hooks\":[{\"async\":false,\"command\":").Append(JsonString(command))
            .Append(",\"timeout\":").Append(timeoutSeconds.ToString(CultureInfo.InvariantCulture))
            .Append(",\"type\":\"command\"}]}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())));
    }

    /// <summary>"SessionStart" → "session_start", as Codex names events in state keys and hashes.</summary>
    public static string Snake(string clientEvent) => Capitals().Replace(clientEvent, m => (m.Index > 0 ? "_" : "") + m.Value.ToLowerInvariant());

    public static string Key(string hooksFile, string clientEvent, int group, int handler) => $"{hooksFile}:{Snake(clientEvent)}:{group}:{handler}";

    /// <summary>config.toml with a trusted_hash table for each of <paramref name="trusted"/> (key, hash), replaced where
    /// it was or appended, and without the tables of the <paramref name="untrusted"/> keys; every other byte is kept.</summary>
    public static string Apply(string? existing, IReadOnlyList<(string Key, string Hash)> trusted, IEnumerable<string> untrusted)
    {
        var text = existing ?? "";
        foreach (var key in untrusted.Except(trusted.Select(t => t.Key))) text = RemoveTable(text, key);
        var appended = new StringBuilder();
        foreach (var (key, hash) in trusted)
        {
            var block = $"[hooks.state.{TomlString(key)}]\ntrusted_hash = \"{hash}\"\n";
            if (Table(text, key) is var (start, end)) text = text[..start] + block + (end < text.Length ? "\n" : "") + text[end..];
            else appended.Append(appended.Length > 0 ? "\n" : "").Append(block);
        }
        if (appended.Length > 0) text = text.TrimEnd('\n') + (text.Trim().Length == 0 ? "" : "\n\n") + appended;
        var states = State(Parse(text));
        foreach (var (key, hash) in trusted)
            if (!states.TryGetValue(key, out var state) || state is not TomlTable t || t["trusted_hash"] as string != hash)
                throw LocalMemoryException.System("the updated config.toml does not hold the hook trust as intended; it was not written");
        return text;
    }

    /// <summary>The trusted hashes in config.toml, by key.</summary>
    public static IReadOnlyDictionary<string, string> TrustedHashes(string existing) =>
        State(Parse(existing)).Where(p => p.Value is TomlTable t && t.ContainsKey("trusted_hash"))
            .ToDictionary(p => p.Key, p => ((TomlTable)p.Value)["trusted_hash"] as string ?? "");

    private static TomlTable State(TomlTable model) =>
        model.TryGetValue("hooks", out var hooks) && hooks is TomlTable h && h.TryGetValue("state", out var state) && state is TomlTable s ? s : [];

    /// <summary>Removes the table <c>[hooks.state."key"]</c> (its header and lines up to the next header) if present.</summary>
    private static string RemoveTable(string text, string key)
    {
        if (Table(text, key) is not var (start, end)) return text;
        var (before, after) = (text[..start].TrimEnd('\n'), text[end..]);
        return before + (before.Length == 0 ? "" : after.Length > 0 ? "\n\n" : "\n") + after;
    }

    /// <summary>Where the table <c>[hooks.state."key"]</c> starts and where the next header starts (or the text ends).</summary>
    private static (int Start, int End)? Table(string text, string key)
    {
        var header = new Regex(@"^[ \t]*\[[ \t]*hooks[ \t]*\.[ \t]*state[ \t]*\.[ \t]*" + Regex.Escape(TomlString(key)) + @"[ \t]*\][^\n]*\n?", RegexOptions.Multiline).Match(text);
        if (!header.Success) return null;
        var next = NextHeader().Match(text, header.Index + header.Length);
        return (header.Index, next.Success ? next.Index : text.Length);
    }

    private static TomlTable Parse(string text)
    {
        try { return TomlSerializer.Deserialize<TomlTable>(text, TomlContext.Default) ?? []; }
        catch (TomlException e) { throw LocalMemoryException.Invalid($"config.toml is not valid TOML ({e.Message}); fix it first, localmem did not change it"); }
    }

    /// <summary>A TOML basic string (the keys hold paths: backslashes and quotes are escaped).</summary>
    private static string TomlString(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A JSON string as serde_json writes it: UTF-8 as is, only quote, backslash and control characters escaped.</summary>
    private static string JsonString(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return b.Append('"').ToString();
    }

    [GeneratedRegex("[A-Z]")]
    private static partial Regex Capitals();

    [GeneratedRegex(@"^[ \t]*\[", RegexOptions.Multiline)]
    private static partial Regex NextHeader();
}
