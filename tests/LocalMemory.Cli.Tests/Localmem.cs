using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LocalMemory.Cli.Commands;

namespace LocalMemory.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;
}

/// <summary>Runs localmem verbs against a temporary home: in-process through the parser, or as a real process.</summary>
internal sealed class Localmem : IDisposable
{
    public string Home { get; } = Directory.CreateTempSubdirectory("localmem-cli-test-").FullName;

    /// <summary>Whether the processes this starts use the localmem daemon (the default) or work alone.</summary>
    public bool Daemon { get; set; } = true;

    /// <summary>More environment for the processes this starts (set after the defaults, so it can override them).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task<CliResult> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LocalmemCommand.Create().Parse([.. args, "--home", Home, .. UserFor(args)])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>A hook in-process, as the daemon runs it: the client's JSON on stdin, the caller's directory, user "dev".</summary>
    public async Task<CliResult> Hook(string hook, string stdin, string agent = "codex", string? cwd = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var caller = new CliEnvironment(cwd ?? Home, name => name == "LOCALMEM_USER_ID" ? "dev" : null, new StringReader(stdin), null);
        var code = await CliEnvironment.RunAs(caller, () => LocalmemCommand.Create().Parse(["hook", hook, "--agent", agent, "--home", Home])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Verbs that take --user run as "dev", the user the server processes use.</summary>
    private static string[] UserFor(string[] args) =>
        args.Length > 0 && args[0] is "add" or "search" or "list" or "get" or "update" or "delete" or "delete-all" or "export" && !args.Contains("--user") ? ["--user", "dev"] : [];

    /// <summary>The installed localmem (LOCALMEM_EXE), the Native AOT build users run, as a child process.</summary>
    public Task<CliResult> Process(params string[] args) => ProcessWithInput(null, args);

    /// <summary>The installed localmem as a child process, with <paramref name="stdin"/> written to it and closed.</summary>
    public async Task<CliResult> ProcessWithInput(string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo(Exe);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.RedirectStandardInput = stdin is not null;
        info.Environment["LOCALMEM_HOME"] = Home;
        info.Environment["LOCALMEM_USER_ID"] = "dev";
        SetDaemon(info, Daemon);
        foreach (var (name, value) in Environment) info.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(info)!;
        if (stdin is not null)
        {
            try
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            catch (IOException) when (process.HasExited || process.WaitForExit(5_000))
            {
                // It ended without reading its input (bad arguments end a hook at once): what it printed and its
                // exit code are the result, not the broken pipe. Closing still flushes, and fails the same way.
                try { process.StandardInput.Close(); } catch (IOException) { }
            }
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The pid of the daemon running for this home, if one runs.</summary>
    public static async Task<int?> DaemonPid(Localmem cli)
    {
        var status = await cli.Process("daemon", "status", "--json");
        return status.Json.GetProperty("running").GetBoolean() ? status.Json.GetProperty("daemon").GetProperty("pid").GetInt32() : null;
    }

    /// <summary>Daemon on or off for a child process; a daemon a test starts exits soon after the test's home is gone.</summary>
    public static void SetDaemon(ProcessStartInfo info, bool daemon)
    {
        info.Environment["LOCALMEM_DAEMON"] = daemon ? "on" : "off";
        info.Environment["LOCALMEM_DAEMON_IDLE_EXIT"] = "120s";
    }

    /// <summary>The localmem that process tests start: the installed build named by LOCALMEM_EXE. Without it they fail,
    /// saying how to set it, rather than quietly testing another build.</summary>
    public static string Exe => System.Environment.GetEnvironmentVariable("LOCALMEM_EXE") is { Length: > 0 } exe && File.Exists(exe) ? exe
        : throw new InvalidOperationException(
            "LOCALMEM_EXE must name an installed localmem (the program users run): ./install.sh --prefix /tmp/lm && LOCALMEM_EXE=/tmp/lm/bin/localmem dotnet test; " +
            "./scripts/test.sh does this for you" + (System.Environment.GetEnvironmentVariable("LOCALMEM_EXE") is { Length: > 0 } given ? $" (it names {given}, which does not exist)" : ""));

    public void Dispose()
    {
        if (File.Exists(Path.Combine(Home, "run", "daemon.sock"))) Process("daemon", "stop").GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}
