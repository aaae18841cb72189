using LocalMemory.Cli.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace LocalMemory.Cli.Mcp;

/// <summary>localmem's MCP server: the tools and instructions, run over any pair of streams (a daemon connection, or
/// this process's own pipes). The loopback HTTP endpoint registers the same through <see cref="AddLocalmem"/>.</summary>
internal sealed class McpEndpoint : IAsyncDisposable
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

    private readonly ServiceProvider _services;
    private readonly McpServerOptions _options;

    /// <param name="source">The memory services (the daemon's engine, or this process's store).</param>
    public McpEndpoint(Func<IServiceProvider, IServiceSource> source)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => Logs.ToStandardError(logging));
        services.AddSingleton<IServiceSource>(source);
        services.AddSingleton<Sessions>();
        services.AddMcpServer().AddLocalmem();
        _services = services.BuildServiceProvider();
        _options = _services.GetRequiredService<IOptions<McpServerOptions>>().Value;
        _options.ScopeRequests = false; // tools are made from each connection's own services (its origin), not a scope
        _ = _services.GetRequiredService<Sessions>(); // open the store and start loading the model now
    }

    /// <summary>Serves one client over a pair of streams until it disconnects or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(Stream input, Stream output, McpOrigin origin, CancellationToken cancellationToken)
    {
        var loggers = _services.GetRequiredService<ILoggerFactory>();
        await using var transport = new StreamServerTransport(input, output, "localmem", loggers);
        await using var server = McpServer.Create(transport, _options, loggers, new ConnectionServices(_services, origin));
        await server.RunAsync(cancellationToken);
    }

    /// <summary>The endpoint's services, plus where this connection's client is.</summary>
    private sealed class ConnectionServices(IServiceProvider root, McpOrigin origin) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(McpOrigin) ? origin : root.GetService(serviceType);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}

internal static class McpRegistration
{
    public static string Version { get; } = typeof(McpEndpoint).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    public static IMcpServerBuilder AddLocalmem(this IMcpServerBuilder builder)
    {
        builder.Services.Configure<McpServerOptions>(o =>
        {
            o.ServerInfo = new() { Name = "localmem", Version = Version };
            o.ServerInstructions = McpEndpoint.Instructions;
        });
        return builder.WithTools<MemoryTools>(CliJson.Mcp).WithRequestFilters(filters => filters.AddCallToolFilter(ArgumentCheck.Filter));
    }
}

internal static class Logs
{
    /// <summary>Logs go to stderr (stdout is the protocol); LOCALMEM_LOG=debug for more.</summary>
    public static void ToStandardError(ILoggingBuilder logging)
    {
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("LOCALMEM_LOG"), ignoreCase: true, out var level) ? level : LogLevel.Warning);
    }
}
