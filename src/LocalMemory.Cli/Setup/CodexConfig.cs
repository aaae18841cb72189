using System.Text;
using System.Text.RegularExpressions;
using LocalMemory.Core;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace LocalMemory.Cli.Setup;

/// <summary>Codex: a <c>[mcp_servers.localmem]</c> table in ~/.codex/config.toml.</summary>
/// <remarks>
/// The table is replaced or appended as text, so every other byte of the file (comments, order, formatting) stays as
/// it was; Tomlyn then parses the result to prove it is valid TOML that holds the entry we meant.
/// </remarks>
internal sealed partial class CodexConfig : ClientConfig
{
    public override string Name => "codex";

    public override string DefaultPath(string userHome) =>
        Path.Combine(Environment.GetEnvironmentVariable("CODEX_HOME") is { Length: > 0 } codexHome ? codexHome : Path.Combine(userHome, ".codex"), "config.toml");

    public override string Apply(string? existing, ServerCommand command)
    {
        existing ??= "";
        var model = Parse(existing, "the existing config.toml");
        var block = Block(command);
        var header = Header().Match(existing);
        string updated;
        if (header.Success)
        {
            var next = NextHeader().Match(existing, header.Index + header.Length);
            var end = next.Success ? next.Index : existing.Length;
            updated = existing[..header.Index] + block + (next.Success ? "\n" : "") + existing[end..];
        }
        else
        {
            if (model.TryGetValue("mcp_servers", out var servers) && servers is TomlTable table && table.ContainsKey("localmem"))
                throw LocalMemoryException.Invalid("config.toml defines mcp_servers.localmem without a [mcp_servers.localmem] table; edit that entry by hand or remove it and run setup again");
            var separator = existing.Length == 0 ? "" : existing.EndsWith("\n\n", StringComparison.Ordinal) ? "" : existing.EndsWith('\n') ? "\n" : "\n\n";
            updated = existing + separator + block;
        }
        if (ConfiguredCommand(updated) != command.Command)
            throw LocalMemoryException.System("the updated config.toml does not hold the localmem entry as intended; it was not written");
        return updated;
    }

    public override string? Remove(string? existing)
    {
        if (existing is null || Header().Match(existing) is not { Success: true } header) return existing;
        var next = NextHeader().Match(existing, header.Index + header.Length);
        var (before, after) = (existing[..header.Index].TrimEnd('\n'), next.Success ? existing[next.Index..] : "");
        var updated = before + (before.Length == 0 ? "" : after.Length > 0 ? "\n\n" : "\n") + after;
        return updated.Trim().Length == 0 ? null : updated;
    }

    public override string? ConfiguredCommand(string existing) =>
        Parse(existing, "config.toml") is { } model
        && model.TryGetValue("mcp_servers", out var servers) && servers is TomlTable table
        && table.TryGetValue("localmem", out var entry) && entry is TomlTable localmem
        && localmem.TryGetValue("command", out var command) ? command as string : null;

    private static string Block(ServerCommand command)
    {
        var b = new StringBuilder();
        b.Append("[mcp_servers.localmem]\n");
        b.Append("command = ").Append(Quote(command.Command)).Append('\n');
        b.Append("args = [").Append(string.Join(", ", command.Args.Select(Quote))).Append("]\n");
        b.Append("startup_timeout_sec = 20\n");
        return b.ToString();
    }

    /// <summary>A TOML literal string when possible (Windows paths keep their backslashes), else a basic string.</summary>
    private static string Quote(string value) =>
        value.Contains('\'', StringComparison.Ordinal) || value.Any(char.IsControl)
            ? "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : $"'{value}'";

    private static TomlTable Parse(string text, string what)
    {
        try { return TomlSerializer.Deserialize<TomlTable>(text, TomlContext.Default) ?? []; }
        catch (TomlException e) { throw LocalMemoryException.Invalid($"{what} is not valid TOML ({e.Message}); fix it first, localmem did not change it"); }
    }

    [GeneratedRegex(@"^[ \t]*\[[ \t]*mcp_servers[ \t]*\.[ \t]*(?:localmem|""localmem"")[ \t]*\][^\n]*\n?", RegexOptions.Multiline)]
    private static partial Regex Header();

    [GeneratedRegex(@"^[ \t]*\[", RegexOptions.Multiline)]
    private static partial Regex NextHeader();
}

/// <summary>Tomlyn's source-generated reader for a whole TOML document (no reflection: the binary is Native AOT).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class TomlContext : TomlSerializerContext;
