using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LocalMemory.Core;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LocalMemory.Cli.Mcp;

/// <summary>Where an MCP client connects from: its working directory (the project when it offers no roots) and its
/// LOCALMEM_* settings. A client of the loopback HTTP endpoint has neither.</summary>
internal sealed record McpOrigin(string? WorkingDirectory, Func<string, string?> Variable)
{
    public static McpOrigin ThisProcess => new(Environment.CurrentDirectory, Environment.GetEnvironmentVariable);

    public static McpOrigin Remote(Func<string, string?> daemonVariable) => new(null, daemonVariable);
}

/// <summary>The MCP sessions of this process, each with what it knows of its client.</summary>
/// <remarks>A tool sees a per-request view of its server, not the server object itself, so sessions are found by what
/// stays the same: the origin that a stream connection's services carry (see <see cref="McpEndpoint"/>), else the
/// session id of a loopback HTTP client, which has no working directory and the daemon's settings.</remarks>
internal sealed class Sessions(IServiceSource services, ILoggerFactory loggers)
{
    private const int MaxHttpSessions = 1_000;
    private readonly ConditionalWeakTable<McpOrigin, ServerSession> _byOrigin = [];
    private readonly ConcurrentDictionary<string, ServerSession> _byHttpSession = new();

    public ServerSession For(McpServer server)
    {
        if (server.Services?.GetService(typeof(McpOrigin)) is McpOrigin origin) return _byOrigin.GetValue(origin, New);
        var remote = McpOrigin.Remote(Environment.GetEnvironmentVariable);
        if (server.SessionId is not { } id) return New(remote);
        if (_byHttpSession.Count >= MaxHttpSessions) _byHttpSession.Clear(); // ended sessions are never announced
        return _byHttpSession.GetOrAdd(id, _ => New(remote));
    }

    private ServerSession New(McpOrigin origin) => new(origin, services, loggers.CreateLogger<ServerSession>());
}

/// <summary>What one MCP session knows: its client (app_id from the client's name), its project, its options.</summary>
internal sealed class ServerSession(McpOrigin origin, IServiceSource services, ILogger log)
{
    private readonly Lock _projectLock = new();
    private Task<string?>? _project;

    /// <summary>The memory service for this client's settings; a store that cannot open becomes a tool error.</summary>
    public async Task<MemoryService> ServiceAsync(CancellationToken cancellationToken)
    {
        try { return await services.ServiceAsync(LocalMemoryOptions.Resolve(environment: origin.Variable), cancellationToken); }
        catch (LocalMemoryException e) { throw new McpException(e.Message, e); }
    }

    /// <summary>app_id from the client's name; the project from the client's roots, else its working directory.</summary>
    public async Task<CallContext> ContextAsync(McpServer server, CancellationToken cancellationToken) =>
        new(AppId(server.ClientInfo?.Name), await ProjectAsync(server, cancellationToken));

    internal static string AppId(string? clientName)
    {
        if (string.IsNullOrWhiteSpace(clientName)) return "mcp";
        var name = clientName.Trim().ToLowerInvariant().Replace(' ', '-');
        return name.Length <= Constants.MaxIdChars ? name : name[..Constants.MaxIdChars];
    }

    /// <summary>Resolved once per session, under the lock: calls that arrive together all wait for the same answer.</summary>
    private async Task<string?> ProjectAsync(McpServer server, CancellationToken cancellationToken)
    {
        Task<string?> project;
        lock (_projectLock) project = _project ??= ResolveProjectAsync(server);
        return await project.WaitAsync(cancellationToken);
    }

    private async Task<string?> ResolveProjectAsync(McpServer server) =>
        await FromRootsAsync(server) ?? (origin.WorkingDirectory is { } directory ? ProjectResolver.FromDirectory(directory) : null);

    // MCP9005: roots are deprecated from spec 2026-07-28, but the clients in use today still offer them and they are
    // the only way to learn the client's workspace; the working directory remains the fallback.
#pragma warning disable MCP9005
    private async Task<string?> FromRootsAsync(McpServer server)
    {
        if (server.ClientCapabilities?.Roots is null) return null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var roots = await server.RequestRootsAsync(new ListRootsRequestParams(), timeout.Token);
            return roots.Roots
                .Select(r => Uri.TryCreate(r.Uri, UriKind.Absolute, out var uri) && uri.IsFile ? ProjectResolver.FromDirectory(uri.LocalPath) : null)
                .FirstOrDefault(p => p is not null);
        }
        catch (Exception e) when (e is McpException or OperationCanceledException or TimeoutException)
        {
            log.LogWarning("the client's roots could not be read ({Message}); using the working directory", e.Message);
            return null;
        }
    }
#pragma warning restore MCP9005
}
