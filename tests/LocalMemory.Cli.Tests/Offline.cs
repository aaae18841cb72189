using System.Diagnostics;

namespace LocalMemory.Cli.Tests;

/// <summary>
/// Runs a program as a fresh user would: HOME is an empty folder, no LOCALMEM_* variables, and, through
/// `unshare -n`, no network at all (a network namespace with only a loopback that is down).
/// </summary>
internal sealed class Offline : IDisposable
{
    public string Home { get; } = Directory.CreateTempSubdirectory("localmem-empty-home-").FullName;

    public Offline()
    {
        var probe = Start("unshare", ["-n", "true"]);
        probe.WaitForExit();
        Assert.True(probe.ExitCode == 0,
            "unshare -n could not make a network namespace with no network: run the tests as root (sudo ./scripts/test.sh), " +
            "on Linux with util-linux's unshare. " + probe.StandardError.ReadToEnd());
    }

    /// <summary>The program with no network.</summary>
    public Task<CliResult> Run(string program, params string[] args) => Online(["unshare", "-n", program, .. args]);

    /// <summary>The program with the network this machine has (for what needs it, such as reaching a package source).</summary>
    public async Task<CliResult> Online(string[] command, string? workingDirectory = null)
    {
        using var process = Start(command[0], command[1..], workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private Process Start(string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.WorkingDirectory = workingDirectory ?? Home;
        info.Environment["HOME"] = Home;
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("LOCALMEM_", StringComparison.Ordinal) || k == "NUGET_PACKAGES").ToList())
            info.Environment.Remove(name);
        info.Environment["LOCALMEM_DAEMON_IDLE_EXIT"] = "20s"; // a daemon the test starts leaves soon after it
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    /// <summary>A file or folder the test command (scripts/test.sh) made, named by an environment variable.</summary>
    public static string Built(string variable, string what)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        Assert.True(path is not null && Path.Exists(path),
            $"{variable} must name {what}; scripts/test.sh builds it and sets it (run ./scripts/test.sh)");
        return path!;
    }

    public static string TempDirectory(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        // Whichever localmem started a daemon for this HOME (the bundle's, the tool's, dnx's), any localmem stops it.
        if (Environment.GetEnvironmentVariable("LOCALMEM_EXE") is { Length: > 0 } exe && File.Exists(exe))
        {
            using var stop = Start(exe, ["daemon", "stop"]);
            stop.WaitForExit(10_000);
        }
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}
