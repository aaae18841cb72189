using LocalMemory.Core;

namespace LocalMemory.Cli.Setup;

/// <summary>One MCP client's configuration file and how localmem's entry looks in it.</summary>
internal abstract class ClientConfig
{
    public abstract string Name { get; }

    /// <summary>The configuration file under the user's home.</summary>
    public abstract string DefaultPath(string userHome);

    /// <summary>The file's new text with localmem's entry added or replaced and everything else kept.</summary>
    public abstract string Apply(string? existing, ServerCommand command);

    /// <summary>The file's text without localmem's entry (null: nothing else was left in it).</summary>
    public abstract string? Remove(string? existing);

    /// <summary>The command localmem's entry launches, or null when there is none.</summary>
    public abstract string? ConfiguredCommand(string existing);

    public static readonly IReadOnlyList<ClientConfig> All = [new CodexConfig(), new ClaudeConfig(), new CursorConfig()];

    public static ClientConfig Find(string name) => All.FirstOrDefault(c => c.Name == name)
        ?? throw LocalMemoryException.Invalid($"unknown client '{name}'; clients are {string.Join(", ", All.Select(c => c.Name))}");
}
