using System.Text.Json;
using System.Text.Json.Nodes;
using IOPath = System.IO.Path;

namespace LocalMemory.Cli.Setup;

/// <summary>A client file as setup found it and as it would leave it (null: absent). Setup plans every file first, so
/// that a dry run shows all of it and a file it cannot read stops the command before anything is written.</summary>
internal sealed record FileChange(string Path, string? Existing, string? Updated)
{
    public bool Changed => Existing != Updated;

    /// <summary>This change, writing the text of the newest backup instead when that holds the same JSON: taking
    /// localmem out of a JSON file then gives back the file as the user wrote it, formatting and all.</summary>
    public FileChange PreferBackup()
    {
        if (Updated is null || !Changed || Parse(Updated) is not { } updated || IOPath.GetDirectoryName(Path) is not { } folder || !Directory.Exists(folder)) return this;
        var backups = Directory.EnumerateFiles(folder, IOPath.GetFileName(Path) + ".localmem-backup-*").Order(StringComparer.Ordinal).Reverse();
        foreach (var backup in backups)
        {
            var text = File.ReadAllText(backup);
            if (JsonNode.DeepEquals(Parse(text), updated)) return this with { Updated = text };
        }
        return this;
    }

    private static JsonNode? Parse(string text)
    {
        try { return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException) { return null; }
    }

    /// <summary>Writes the file: a timestamped backup of the old one first, then an atomic replace, or the removal of a
    /// file left empty (and of the skill's folder with it). Returns the backup's path.</summary>
    public string? Write()
    {
        if (!Changed) return null;
        var skill = IOPath.GetFileName(Path) == "SKILL.md"; // localmem's own file: no backup beside it for clients to find
        string? backup = null;
        if (Existing is not null && !skill)
        {
            backup = $"{Path}.localmem-backup-{DateTime.UtcNow:yyyyMMddHHmmss}";
            File.Copy(Path, backup, overwrite: true);
        }
        if (Updated is null)
        {
            File.Delete(Path);
            var folder = IOPath.GetDirectoryName(Path)!;
            if (skill && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            return backup;
        }
        Directory.CreateDirectory(IOPath.GetDirectoryName(Path)!);
        var temp = Path + ".localmem-tmp";
        File.WriteAllText(temp, Updated);
        File.Move(temp, Path, overwrite: true);
        return backup;
    }
}
