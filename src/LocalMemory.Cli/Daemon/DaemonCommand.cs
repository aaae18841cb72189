using System.CommandLine;
using System.Runtime.InteropServices;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Output;
using LocalMemory.Core;

namespace LocalMemory.Cli.Daemon;

/// <summary>`localmem daemon [--http [ADDR]] [--idle-exit DURATION]`, and `daemon status|stop|install`.</summary>
internal static class DaemonCommand
{
    private static readonly Option<string?> Http = new("--http") { Description = $"Also serve MCP over HTTP at /mcp (default address {DaemonSettings.DefaultHttp}; loopback only)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> IdleExit = new("--idle-exit") { Description = "Exit after this long with no client: 30m (default), 90s, 0 for never" };
    private static readonly Option<bool> Detach = new("--detach") { Description = "Leave the terminal and log to run/daemon.log (how serve and the CLI start it)", Hidden = true };

    public static Command Create()
    {
        var command = new Command("daemon", "Run the daemon that holds the store and the model for every agent and the CLI (started on demand; exits when idle)")
        {
            Http, IdleExit, Detach, Status(), Stop(), DaemonInstall.Create(),
        };
        command.SetAction(CliContext.Action(async (cli, cancellationToken) =>
        {
            var detach = cli.Parse.GetValue(Detach);
            var settings = DaemonSettings.Resolve(cli.Options.Home, cli.Environment.Variable, cli.Parse.GetValue(IdleExit));
            if (cli.Parse.GetResult(Http) is not null) settings = settings with { Http = cli.Parse.GetValue(Http) ?? settings.Http ?? DaemonSettings.DefaultHttp };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Cancel(stop); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Cancel(stop); });
            using var sighup = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
            using var host = new DaemonHost(cli.Options, settings, detach, cli.Err);
            return await host.RunAsync(stop.Token);
        }));
        return command;
    }

    /// <summary>For a daemon started in the background: leaves the starter's session and moves stdin, stdout and
    /// stderr to run/daemon.log. First thing in Main, before anything opens the console (.NET keeps its own copy of
    /// the descriptors once it has).</summary>
    public static void DetachIfAsked(string[] args)
    {
        if (args is not ["daemon", ..] || !args.Contains("--detach")) return;
        var at = Array.IndexOf(args, "--home");
        if (at < 0 || at + 1 >= args.Length) return;
        try
        {
            var paths = new DaemonPaths(Path.GetFullPath(args[at + 1]));
            paths.CreateRunDirectories();
            if (File.Exists(paths.Log) && new FileInfo(paths.Log).Length > 1_000_000) File.Move(paths.Log, paths.Log + ".1", overwrite: true);
            Native.Detach(paths.Log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the daemon says why when it starts
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try { source.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private static Command Status()
    {
        var command = new Command("status", "Is the daemon running: pid, version, socket, memory, clients");
        command.SetAction(CliContext.Action(async (cli, cancellationToken) =>
        {
            var status = await DaemonQuery.StatusAsync(cli.Options.Home, cancellationToken);
            if (cli.Json) return await cli.WriteJson(new DaemonStatusReport(status is not null, status));
            if (status is null)
            {
                await cli.Out.WriteLineAsync($"no localmem daemon runs for {cli.Options.Home} (serve and the CLI start one when needed)");
                return ExitCodes.Success;
            }
            await cli.Out.WriteLineAsync(DaemonQuery.Describe(status));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Stop()
    {
        var command = new Command("stop", "Stop the daemon (serve and the CLI start a new one when needed)");
        command.SetAction(CliContext.Action(async (cli, cancellationToken) =>
        {
            var pid = await DaemonQuery.StopAsync(cli.Options.Home, cancellationToken);
            await cli.Out.WriteLineAsync(pid is null ? "no localmem daemon was running" : $"stopped the localmem daemon (pid {pid})");
            return ExitCodes.Success;
        }));
        return command;
    }
}

internal sealed record DaemonStatusReport(bool Running, DaemonStatus? Daemon);
