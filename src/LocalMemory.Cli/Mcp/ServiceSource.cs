using LocalMemory.Core;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;
using Microsoft.Extensions.Logging;

namespace LocalMemory.Cli.Mcp;

/// <summary>Where MCP sessions get their memory service: the daemon's engine, or this process's own store.</summary>
internal interface IServiceSource
{
    Task<MemoryService> ServiceAsync(LocalMemoryOptions options, CancellationToken cancellationToken);
}

/// <summary>One store and model for this process (`serve` without the daemon).</summary>
/// <remarks>The store opens and the model loads on a thread of their own, so <c>initialize</c> is answered at once;
/// the first tool call waits for the store, the first that needs the model for the model. If the store cannot open,
/// every tool answers with the reason, so the agent (and its user) can read what to fix.</remarks>
internal sealed class InProcessServices : IServiceSource, IDisposable
{
    private readonly Task<MemoryService> _service;

    public InProcessServices(LocalMemoryOptions options, ILogger<InProcessServices> log) =>
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

    public Task<MemoryService> ServiceAsync(LocalMemoryOptions options, CancellationToken cancellationToken) => _service.WaitAsync(cancellationToken);

    public void Dispose()
    {
        try
        {
            if (_service.Wait(TimeSpan.FromSeconds(30))) _service.Result.Dispose();
        }
        catch (AggregateException) { } // the store never opened: nothing to close
    }
}
