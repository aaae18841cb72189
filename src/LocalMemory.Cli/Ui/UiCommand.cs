using System.CommandLine;
using System.Diagnostics;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Daemon;
using LocalMemory.Core;

namespace LocalMemory.Cli.Ui;

/// <summary>`localmem ui`: starts the daemon's loopback page if needed and opens the browser at it with a one-time
/// sign-in link (as Jupyter does); without a browser, it prints the link.</summary>
internal static class UiCommand
{
    private static readonly Option<bool> NoBrowser = new("--no-browser") { Description = "Print the link instead of opening a browser" };

    public static Command Create()
    {
        var command = new Command("ui", "Open the page where you see, search, correct and delete what agents remember") { NoBrowser };
        command.SetAction(CliContext.Action(async (cli, cancellationToken) =>
        {
            if (!cli.Daemon.Enabled) throw LocalMemoryException.Invalid("the page is served by the localmem daemon, which is turned off (--no-daemon, LOCALMEM_DAEMON or config.json)");
            var hello = new Hello { Mode = "ui", Build = BuildIdentity.Current, Environment = DaemonProtocol.CurrentEnvironment() };
            string? why = null;
            await using var connection = await DaemonClient.OpenAsync(new DaemonPaths(cli.Options.Home), hello, start: true, note => why = note, cancellationToken)
                ?? throw LocalMemoryException.System($"the page needs the localmem daemon: {why ?? "it is not running"}");
            var link = connection.Reply.Stdout!;
            var opened = !cli.Parse.GetValue(NoBrowser) && TryOpen(link);
            await cli.Out.WriteLineAsync(link);
            await cli.Err.WriteLineAsync(opened
                ? "opened in your browser (the link works once, for 2 minutes; run localmem ui again for another)"
                : "open this link in a browser on this machine (it works once, for 2 minutes)");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Opens the default browser, if this session has one to show.</summary>
    private static bool TryOpen(string url)
    {
        try
        {
            if (OperatingSystem.IsWindows()) { using var _ = Process.Start(new ProcessStartInfo(url) { UseShellExecute = true }); return true; }
            if (OperatingSystem.IsMacOS()) { using var _ = Process.Start("open", url); return true; }
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"))) return false;
            using var process = Process.Start(new ProcessStartInfo("xdg-open", url) { RedirectStandardError = true, RedirectStandardOutput = true });
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception) { return false; } // no opener installed
    }
}
