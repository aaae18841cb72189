using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Core;

namespace LocalMemory.Cli.Setup;

/// <summary>A client whose configuration is JSON with an <c>mcpServers</c> object (Claude Code, Cursor).</summary>
internal abstract class JsonClientConfig : ClientConfig
{
    protected abstract JsonObject Entry(ServerCommand command);

    public override string Apply(string? existing, ServerCommand command)
    {
        var root = Parse(existing) ?? [];
        if (root["mcpServers"] is not JsonObject servers)
        {
            if (root["mcpServers"] is not null) throw LocalMemoryException.Invalid("'mcpServers' in the file is not an object; fix it first, localmem did not change it");
            root["mcpServers"] = servers = [];
        }
        var entry = Entry(command);
        if (servers["localmem"] is JsonNode current && JsonNode.DeepEquals(current, entry)) return existing!;
        servers["localmem"] = entry;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public override string? Remove(string? existing)
    {
        if (Parse(existing) is not { } root || root["mcpServers"] is not JsonObject servers || !servers.ContainsKey("localmem")) return existing;
        servers.Remove("localmem");
        if (servers.Count == 0) root.Remove("mcpServers");
        return root.Count == 0 ? null : root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public override string? ConfiguredCommand(string existing) =>
        Parse(existing)?["mcpServers"]?["localmem"]?["command"]?.GetValue<string>();

    private static JsonObject? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw LocalMemoryException.Invalid("the file does not hold a JSON object; fix it first, localmem did not change it");
        }
        catch (JsonException e)
        {
            throw LocalMemoryException.Invalid($"the file is not valid JSON ({e.Message}); fix it first, localmem did not change it");
        }
    }
}

/// <summary>Claude Code: user scope, <c>mcpServers.localmem</c> in ~/.claude.json.</summary>
internal sealed class ClaudeConfig : JsonClientConfig
{
    public override string Name => "claude";

    public override string DefaultPath(string userHome) => Path.Combine(userHome, ".claude.json");

    protected override JsonObject Entry(ServerCommand command) => new()
    {
        ["type"] = "stdio",
        ["command"] = command.Command,
        ["args"] = new JsonArray([.. command.Args.Select(a => (JsonNode)a)]),
        ["env"] = new JsonObject(),
    };
}

/// <summary>Cursor: <c>mcpServers.localmem</c> in ~/.cursor/mcp.json.</summary>
internal sealed class CursorConfig : JsonClientConfig
{
    public override string Name => "cursor";

    public override string DefaultPath(string userHome) => Path.Combine(userHome, ".cursor", "mcp.json");

    protected override JsonObject Entry(ServerCommand command) => new()
    {
        ["command"] = command.Command,
        ["args"] = new JsonArray([.. command.Args.Select(a => (JsonNode)a)]),
    };
}
