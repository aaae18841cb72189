using System.Text.Json.Nodes;

namespace LocalMemory.Cli.Setup;

/// <summary>Automatic memory for Codex or Claude Code: the hooks, the skill, and for Codex the hooks' trust; with
/// <c>remove</c>, the same taken out again. Plans every file first, so that a dry run shows all of it and a bad file
/// stops the command before anything is written.</summary>
internal static class HookSetup
{
    public static string Agent(string client) => client == "codex" ? "codex" : "claude";

    /// <summary>Codex reads hooks.json beside its config.toml; Claude Code reads hooks from ~/.claude/settings.json.</summary>
    public static string HooksFile(string client, string configPath, string userHome) => client == "codex"
        ? Path.Combine(Path.GetDirectoryName(configPath)!, "hooks.json")
        : Path.Combine(userHome, ".claude", "settings.json");

    /// <param name="mcp">Also add the MCP entry (the skill's tools), or with <paramref name="remove"/> take it out too.</param>
    public static IReadOnlyList<FileChange> Plan(ClientConfig client, string configPath, string userHome, ServerCommand localmem, bool trust, bool remove, bool mcp)
    {
        var hooksPath = HooksFile(client.Name, configPath, userHome);
        var hooksText = Read(hooksPath);
        var root = HookConfig.Parse(hooksText, hooksPath);
        var before = HookConfig.Ours(root).Select(o => CodexTrust.Key(hooksPath, o.Event, o.Group, o.Handler)).ToList();
        var original = root.DeepClone();
        HookConfig.Apply(root, remove ? null : localmem, Agent(client.Name));
        var hooks = new FileChange(hooksPath, hooksText, JsonNode.DeepEquals(original, root) ? hooksText : root.Count == 0 ? null : HookConfig.Write(root));

        var skillPath = Skill.PathFor(client.Name, userHome);
        var skill = new FileChange(skillPath, Read(skillPath), remove ? null : Skill.Text + "\n");

        var configText = Read(configPath);
        var config = configText;
        if (mcp) config = remove ? client.Remove(config) : client.Apply(config, localmem);
        if (client.Name == "codex" && (trust || remove))
        {
            var trusted = remove ? [] : HookConfig.Ours(root)
                .Select(o => (CodexTrust.Key(hooksPath, o.Event, o.Group, o.Handler), CodexTrust.Hash(CodexTrust.Snake(o.Event), o.Entry["command"]!.GetValue<string>(), HookConfig.TimeoutSeconds)))
                .ToList();
            config = CodexTrust.Apply(config, trusted, before);
        }
        return [hooks, skill, new FileChange(configPath, configText, string.IsNullOrWhiteSpace(config) && configText is null ? null : config)];
    }

    public static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
