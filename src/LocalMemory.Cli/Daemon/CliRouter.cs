using System.CommandLine;
using LocalMemory.Cli.Commands;
using LocalMemory.Core;
using LocalMemory.Core.Hosting;

namespace LocalMemory.Cli.Daemon;

/// <summary>Sends a verb to the daemon when one runs (and starts one for verbs that need the model), so that
/// `localmem search` answers in milliseconds instead of loading the model each time. Anything else runs here.</summary>
internal static class CliRouter
{
    /// <summary>Verbs the daemon runs for the CLI. Verbs that read files, write client configuration, run long jobs or
    /// report on the installation itself run in their own process.</summary>
    private static readonly HashSet<string> Routed = ["add", "search", "list", "get", "update", "delete", "delete-all", "entities", "history", "events", "stats"];

    /// <summary>Of those, the ones worth starting a daemon for: they need the model, which the daemon keeps loaded.</summary>
    private static readonly HashSet<string> StartsDaemon = ["add", "search", "update"];

    /// <summary>The verb's exit code when the daemon ran it; null to run it in this process.</summary>
    public static async Task<int?> TryDaemonAsync(ParseResult parse, string[] args, CancellationToken cancellationToken)
    {
        var verb = parse.CommandResult.Command.Name;
        if (parse.Errors.Count > 0 || !Routed.Contains(verb) || parse.GetValue(CliOptions.NoDaemon)) return null;
        if (args.Any(a => a is "-h" or "--help" or "-?" or "--version" || a.StartsWith("--file", StringComparison.Ordinal))) return null;
        LocalMemoryOptions options;
        DaemonSettings settings;
        try
        {
            options = LocalMemoryOptions.Resolve(parse.GetValue(CliOptions.Home));
            settings = DaemonSettings.Resolve(options.Home, Environment.GetEnvironmentVariable);
        }
        catch (LocalMemoryException)
        {
            return null; // the verb reports it, in this process
        }
        if (!settings.Enabled) return null;
        var hello = new Hello
        {
            Mode = "cli",
            Build = BuildIdentity.Current,
            Args = args,
            Cwd = Environment.CurrentDirectory,
            Environment = new(DaemonProtocol.CurrentEnvironment()) { [Constants.HomeEnvironmentVariable] = options.Home },
        };
        await using var connection = await DaemonClient.OpenAsync(new DaemonPaths(options.Home), hello, StartsDaemon.Contains(verb),
            note => Console.Error.WriteLine($"localmem: {note}; running in this process instead"), cancellationToken);
        if (connection is null) return null;
        await Console.Out.WriteAsync(connection.Reply.Stdout);
        await Console.Error.WriteAsync(connection.Reply.Stderr);
        return connection.Reply.Exit ?? ExitCodes.SystemFailure;
    }
}
