using System.Diagnostics;

namespace LocalMemory.Cli.Tests;

/// <summary>A read-only data directory and a full disk give errors that say what to do, and lose nothing.</summary>
/// <remarks>As root (CI) the data directory is a small tmpfs, remounted read-only or filled up; root ignores file
/// permissions, so chmod alone would prove nothing. Without root, the read-only case uses chmod and the full-disk
/// case is reported as skipped, with the reason.</remarks>
public sealed class DiskTests : IDisposable
{
    private readonly Localmem _cli = new();
    private string? _mount;

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    internal static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {arguments}: {process.StandardError.ReadToEnd()}");
    }

    private string MountTmpfs(string size)
    {
        _mount = Path.Combine(_cli.Home, "mnt");
        Directory.CreateDirectory(_mount);
        Run("mount", $"-t tmpfs -o size={size} tmpfs {_mount}");
        return _mount;
    }

    [SkippableFact]
    public async Task A_read_only_data_directory_is_reported_with_the_fix_and_nothing_is_lost()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions and mounts");
        var home = IsRoot ? MountTmpfs("16m") : Directory.CreateDirectory(Path.Combine(_cli.Home, "data")).FullName;
        Assert.Equal(0, (await _cli.Process("--home", home, "add", "Written before the directory became read-only")).ExitCode);

        await _cli.Process("--home", home, "daemon", "stop"); // it holds the store open; the next call finds no daemon can start
        if (IsRoot) Run("mount", $"-o remount,ro {home}");
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var refused = await _cli.Process("--home", home, "add", "This cannot be written");
        Assert.Equal(2, refused.ExitCode);
        Assert.Matches("read-only|cannot open|writable", refused.Err);
        Assert.DoesNotContain("   at ", refused.Err, StringComparison.Ordinal);

        if (IsRoot) Run("mount", $"-o remount,rw {home}");
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var list = await _cli.Process("--home", home, "list", "--json");
        Assert.Equal(["Written before the directory became read-only"], list.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("memory").GetString()));
    }

    [SkippableFact]
    public async Task A_full_disk_is_reported_with_the_fix_and_the_store_stays_intact()
    {
        Skip.IfNot(IsRoot, "needs root to mount a small tmpfs (CI runs as root)");
        var home = MountTmpfs("3m");
        var lines = Enumerable.Range(0, 400).Select(i => $"Filler {i}: " + string.Concat(Enumerable.Repeat($"block-{i}-payload ", 350)));
        var file = Path.Combine(_cli.Home, "lines.txt");
        await File.WriteAllLinesAsync(file, lines);
        var full = await _cli.Process("--home", home, "add", "--file", file);
        Assert.Equal(2, full.ExitCode);
        Assert.Contains("full", full.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", full.Err, StringComparison.Ordinal);

        Run("mount", $"-o remount,size=64m {home}");
        var doctor = await _cli.Process("--home", home, "doctor", "--json");
        var checks = doctor.Json.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("ok").GetBoolean());
        Assert.True(checks["database"] && checks["indexes"], doctor.Out);
        Assert.True((await _cli.Process("--home", home, "list", "--json")).Json.GetProperty("total").GetInt32() > 0);
        Assert.Equal(0, (await _cli.Process("--home", home, "add", "Room again after the disk was freed")).ExitCode);
    }

    public void Dispose()
    {
        if (_mount is not null)
        {
            using var umount = Process.Start(new ProcessStartInfo("umount", _mount) { RedirectStandardError = true });
            umount?.WaitForExit();
        }
        _cli.Dispose();
    }
}
