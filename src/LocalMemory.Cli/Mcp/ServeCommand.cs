using System.CommandLine;
using System.Runtime.InteropServices;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Daemon;
using LocalMemory.Core;
using Microsoft.Extensions.Logging;

namespace LocalMemory.Cli.Mcp;

/// <summary>`localmem serve`: the MCP server over stdio. stdout carries only MCP; logs go to stderr.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the MCP server over stdio (what Codex, Claude Code and Cursor launch)");
        command.SetAction(CliContext.Action(async (cli, cancellationToken) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                // The handler runs on its own thread: a second signal, or this one while the server is already
                // shutting down, may find the token source disposed. Stopping twice is not an error.
                try { stop.Cancel(); }
                catch (ObjectDisposedException) { }
            }

            var settings = cli.Daemon;
            using var loggers = LoggerFactory.Create(Logs.ToStandardError);
            using var proxy = new StdioProxy(cli.Options, settings, loggers);
            try { await proxy.RunAsync(stop.Token); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            return ExitCodes.Success;
        }));
        return command;
    }
}
