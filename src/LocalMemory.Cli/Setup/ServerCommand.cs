using System.Text.RegularExpressions;
using LocalMemory.Core;

namespace LocalMemory.Cli.Setup;

/// <summary>How to launch `localmem serve`: an absolute command and its arguments.</summary>
internal sealed partial record ServerCommand(string Command, IReadOnlyList<string> Args)
{
    public const string PackageId = "LocalMemory";

    /// <summary>This localmem, launched the way it was installed.</summary>
    public static ServerCommand Current(string? explicitCommand)
    {
        if (explicitCommand is not null) return new(Path.GetFullPath(explicitCommand), ["serve"]);
        var process = Environment.ProcessPath ?? throw LocalMemoryException.System("cannot tell where this localmem is; pass --command PATH");
        var isDotnetHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isDotnetHost
            ? new(process, [Path.Combine(AppContext.BaseDirectory, "localmem.dll"), "serve"])
            : ForExecutable(process, ParentArguments);
    }

    /// <summary>
    /// install.sh or a bundle: the program itself. `dotnet tool install`: the tool's shim, which stays put when the tool is
    /// updated. dnx: dnx again, pinned to this version and with the package sources it was given, because dnx looks the
    /// package up in its sources on every start.
    /// </summary>
    internal static ServerCommand ForExecutable(string executable, Func<IReadOnlyList<string>?> parentArguments)
    {
        var path = executable.Replace('\\', '/');
        if (ToolStore().Match(path) is { Success: true } tool)
        {
            var shim = Path.Combine(tool.Groups["tools"].Value, Path.GetFileName(executable));
            return new(File.Exists(shim) ? shim : executable, ["serve"]);
        }
        if (PackageCache().Match(path) is not { Success: true } cached) return new(executable, ["serve"]);

        var parent = parentArguments();
        var dnx = FindDnx(parent)
            ?? throw LocalMemoryException.System("localmem runs from dnx, but dnx is not on PATH; pass --command PATH, or install it with dotnet tool install -g LocalMemory");
        return new(dnx, [PackageId, "--version", cached.Groups["version"].Value, "--yes", .. DnxSourceOptions(parent), "--", "serve"]);
    }

    /// <summary>The package-source options dnx was run with (--add-source DIR, ...), folders made absolute.</summary>
    internal static IEnumerable<string> DnxSourceOptions(IReadOnlyList<string>? parent)
    {
        if (parent is null) yield break;
        var start = parent.ToList().FindIndex(a => a == "dnx");
        for (var i = start + 1; start >= 0 && i < parent.Count && parent[i] != "--"; i++)
        {
            if (parent[i] is "--add-source" or "--source" or "--configfile" && i + 1 < parent.Count)
            {
                var value = parent[++i];
                yield return parent[i - 1];
                yield return value.Contains("://", StringComparison.Ordinal) ? value : Path.GetFullPath(value);
            }
            else if (parent[i] is "--prerelease" or "--ignore-failed-sources" or "--allow-roll-forward") yield return parent[i];
        }
    }

    /// <summary>dnx beside the dotnet that ran it (the dnx script runs `dotnet exec .../dotnet.dll dnx`), else on PATH.</summary>
    private static string? FindDnx(IReadOnlyList<string>? parent)
    {
        string[] names = OperatingSystem.IsWindows() ? ["dnx.cmd", "dnx.exe"] : ["dnx"];
        var dirs = new List<string>();
        if (parent is { Count: > 0 } && File.Exists(parent[0]))
            dirs.Add(Path.GetDirectoryName(new FileInfo(parent[0]).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? parent[0])!);
        dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) dirs.Add(root);
        return dirs.SelectMany(d => names.Select(n => Path.Combine(d, n))).FirstOrDefault(File.Exists);
    }

    /// <summary>The parent process's command line (Linux only: /proc), or null.</summary>
    private static IReadOnlyList<string>? ParentArguments()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var ppid = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
            return File.ReadAllText($"/proc/{ppid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException) { return null; }
    }

    // dotnet tool install: TOOLS/.store/localmemory/VERSION/localmemory.RID/VERSION/tools/any/RID/localmem; TOOLS/localmem is the shim.
    [GeneratedRegex(@"^(?<tools>.+)/\.store/localmemory/[^/]+/localmemory\.[^/]+/[^/]+/tools/", RegexOptions.IgnoreCase)]
    private static partial Regex ToolStore();

    // dnx: NUGET_PACKAGES/localmemory.RID/VERSION/tools/any/RID/localmem, straight from NuGet's package folder.
    [GeneratedRegex(@"/localmemory\.[^/]+/(?<version>[^/]+)/tools/[^/]+/[^/]+/[^/]+$", RegexOptions.IgnoreCase)]
    private static partial Regex PackageCache();
}
