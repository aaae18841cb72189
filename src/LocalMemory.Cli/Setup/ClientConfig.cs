using LocalMemory.Core;

namespace LocalMemory.Cli.Setup;

/// <summary>The outcome of setting up one client.</summary>
internal sealed record SetupResult(string Client, string Path, bool Changed, string? Backup, string Content);

/// <summary>One MCP client's configuration file and how localmem's entry looks in it.</summary>
internal abstract class ClientConfig
{
    public abstract string Name { get; }

    /// <summary>The configuration file under the user's home.</summary>
    public abstract string DefaultPath(string userHome);

    /// <summary>The file's new text with localmem's entry added or replaced and everything else kept.</summary>
    public abstract string Apply(string? existing, ServerCommand command);

    /// <summary>The command localmem's entry launches, or null when there is none.</summary>
    public abstract string? ConfiguredCommand(string existing);

    public static readonly IReadOnlyList<ClientConfig> All = [new CodexConfig(), new ClaudeConfig(), new CursorConfig()];

    public static ClientConfig Find(string name) => All.FirstOrDefault(c => c.Name == name)
        ?? throw LocalMemoryException.Invalid($"unknown client '{name}'; clients are {string.Join(", ", All.Select(c => c.Name))}");

    /// <summary>Writes the entry: idempotent (no write when nothing changes), a timestamped backup first, atomic replace.</summary>
    public SetupResult Setup(string path, ServerCommand command, bool dryRun)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        var updated = Apply(existing, command);
        if (updated == existing) return new SetupResult(Name, path, false, null, updated);
        if (dryRun) return new SetupResult(Name, path, true, null, updated);

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        string? backup = null;
        if (existing is not null)
        {
            backup = $"{path}.localmem-backup-{DateTime.UtcNow:yyyyMMddHHmmss}";
            File.Copy(path, backup, overwrite: true);
        }
        var temp = path + ".localmem-tmp";
        File.WriteAllText(temp, updated);
        File.Move(temp, path, overwrite: true);
        return new SetupResult(Name, path, true, backup, updated);
    }
}
