using System.Text.RegularExpressions;

namespace LocalMemory.Core.Memories;

/// <summary>Names the git repository a directory belongs to, without running git.</summary>
/// <remarks>
/// The project is the repository's <c>origin</c> remote, normalised (<c>github.com/org/repo</c>), so two clones of one
/// repository share their memories; a repository without a remote is named by its root directory.
/// A directory outside any repository has no project: its memories are global.
/// </remarks>
public static partial class ProjectResolver
{
    public static string? FromDirectory(string? directory)
    {
        if (string.IsNullOrEmpty(directory)) return null;
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git)) return Remote(git) ?? Normalize(dir.FullName);
            if (File.Exists(git)) return Remote(CommonGitDir(git, dir.FullName)) ?? Normalize(dir.FullName);
        }
        return null;
    }

    /// <summary>A worktree or submodule has a .git file pointing at its git directory.</summary>
    private static string CommonGitDir(string gitFile, string root)
    {
        var line = File.ReadLines(gitFile).FirstOrDefault(l => l.StartsWith("gitdir:", StringComparison.Ordinal));
        if (line is null) return gitFile;
        var gitDir = Path.GetFullPath(Path.Combine(root, line["gitdir:".Length..].Trim()));
        var common = Path.Combine(gitDir, "commondir");
        return File.Exists(common) ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(common).Trim())) : gitDir;
    }

    private static string? Remote(string gitDir)
    {
        var config = Path.Combine(gitDir, "config");
        if (!File.Exists(config)) return null;
        var inOrigin = false;
        foreach (var raw in File.ReadLines(config))
        {
            var line = raw.Trim();
            if (line.StartsWith('[')) inOrigin = line.Replace(" ", "", StringComparison.Ordinal) == "[remote\"origin\"]";
            else if (inOrigin && line.StartsWith("url", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
                return NormalizeRemote(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
        }
        return null;
    }

    /// <summary><c>git@github.com:org/repo.git</c>, <c>https://user@github.com/org/repo</c> → <c>github.com/org/repo</c>.</summary>
    public static string NormalizeRemote(string url)
    {
        var m = ScpLike().Match(url);
        var path = m.Success ? $"{m.Groups["host"].Value}/{m.Groups["path"].Value}" : Scheme().Replace(url, "");
        path = path.TrimEnd('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        return path;
    }

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);

    [GeneratedRegex(@"^(?:[^@/]+@)?(?<host>[^:/]+):(?!//)(?<path>.+)$")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://(?:[^@/]+@)?", RegexOptions.IgnoreCase)]
    private static partial Regex Scheme();
}
