using System.CommandLine;
using System.Runtime.InteropServices;
using LocalMemory.Cli.Commands;
using LocalMemory.Cli.Output;
using LocalMemory.Core;
using LocalMemory.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalMemory.Cli.Mcp;

/// <summary>`localmem serve`: the MCP server over stdio. stdout carries only MCP; logs go to stderr.</summary>
internal static class ServeCommand
{
    public const string Instructions = """
        localmem is this user's long-term memory, shared by all their coding agents and kept on their machine.
        - At the start of a task, and before a decision, call search_memories with what you are about to work on.
        - When a decision is made, a constraint or preference is stated, or a bug's cause and fix are found, call
          add_memory with one self-contained fact (name the thing; no "it" or "this").
        - Use infer=false for rules that must be kept word for word.
        - When a remembered fact is wrong or outdated, fix it with update_memory instead of adding a contradiction.
        Memories are scoped to the current repository unless added with scope="global".
        """;

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
                // The handler runs on its own thread: a second signal, or this one while the host is already
                // shutting down, may find the token source disposed. Stopping twice is not an error.
                try { stop.Cancel(); }
                catch (ObjectDisposedException) { }
            }

            using var host = Build(cli.Options);
            await host.RunAsync(stop.Token);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static IHost Build(LocalMemoryOptions options)
    {
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("LOCALMEM_LOG"), ignoreCase: true, out var level) ? level : LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ServerSession>();
        builder.Services
            .AddMcpServer(o =>
            {
                o.ServerInfo = new() { Name = "localmem", Version = typeof(ServeCommand).Assembly.GetName().Version?.ToString(3) ?? "0.1.0" };
                o.ServerInstructions = Instructions;
            })
            .WithStdioServerTransport()
            .WithTools<MemoryTools>(CliJson.Mcp)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ArgumentCheck.Filter));
        var host = builder.Build();
        _ = host.Services.GetRequiredService<ServerSession>(); // open the store and start loading the model now
        return host;
    }
}
