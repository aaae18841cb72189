using LocalMemory.Core;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LocalMemory.Cli.Mcp;

/// <summary>What one `localmem serve` process knows: its store, and who the client is and where it works.</summary>
/// <remarks>
/// The store opens and the model loads on a thread of their own, so <c>initialize</c> is answered at once; the
/// first tool call waits for the store, the first that needs the model for the model. If the store cannot open,
/// the server still runs and every tool answers with the reason, so the agent (and its user) can read what to fix.
/// </remarks>
internal sealed class ServerSession : IDisposable
{
    private readonly Task<MemoryService> _service;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _projectLock = new(1, 1);
    private (bool Known, string? Project) _project;

    public ServerSession(LocalMemoryOptions options, ILogger<ServerSession> log)
    {
        _log = log;
        _service = Task.Factory.StartNew(() =>
        {
            try
            {
                var service = MemoryService.Open(options);
                service.WarmUp();
                service.StartBackgroundWork(); // finish what a previous process left PENDING or RUNNING
                return service;
            }
            catch (LocalMemoryException e)
            {
                log.LogError("localmem cannot open its store: {Message}", e.Message);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The memory service, once the store is open; the reason as a tool error if it cannot open.</summary>
    public async Task<MemoryService> ServiceAsync(CancellationToken cancellationToken)
    {
        try { return await _service.WaitAsync(cancellationToken); }
        catch (LocalMemoryException e) { throw new McpException(e.Message, e); }
    }

    /// <summary>app_id from the client's name; the project from the client's roots, else the working directory.</summary>
    public async Task<CallContext> ContextAsync(McpServer server, CancellationToken cancellationToken) =>
        new(AppId(server.ClientInfo?.Name), await ProjectAsync(server, cancellationToken));

    internal static string AppId(string? clientName)
    {
        if (string.IsNullOrWhiteSpace(clientName)) return "mcp";
        var name = clientName.Trim().ToLowerInvariant().Replace(' ', '-');
        return name.Length <= Constants.MaxIdChars ? name : name[..Constants.MaxIdChars];
    }

    private async Task<string?> ProjectAsync(McpServer server, CancellationToken cancellationToken)
    {
        if (_project.Known) return _project.Project;
        await _projectLock.WaitAsync(cancellationToken);
        try
        {
            if (!_project.Known) _project = (true, await FromRootsAsync(server, cancellationToken) ?? ProjectResolver.FromDirectory(Environment.CurrentDirectory));
            return _project.Project;
        }
        finally { _projectLock.Release(); }
    }

    // MCP9005: roots are deprecated from spec 2026-07-28, but the clients in use today still offer them and they are
    // the only way to learn the client's workspace; the working directory remains the fallback.
#pragma warning disable MCP9005
    private async Task<string?> FromRootsAsync(McpServer server, CancellationToken cancellationToken)
    {
        if (server.ClientCapabilities?.Roots is null) return null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var roots = await server.RequestRootsAsync(new ListRootsRequestParams(), timeout.Token);
            return roots.Roots
                .Select(r => Uri.TryCreate(r.Uri, UriKind.Absolute, out var uri) && uri.IsFile ? ProjectResolver.FromDirectory(uri.LocalPath) : null)
                .FirstOrDefault(p => p is not null);
        }
        catch (Exception e) when (e is McpException or OperationCanceledException or TimeoutException)
        {
            _log.LogWarning("the client's roots could not be read ({Message}); using the working directory", e.Message);
            return null;
        }
    }
#pragma warning restore MCP9005

    public void Dispose()
    {
        try
        {
            if (_service.Wait(TimeSpan.FromSeconds(30))) _service.Result.Dispose();
        }
        catch (AggregateException) { } // the store never opened: nothing to close
        _projectLock.Dispose();
    }
}
