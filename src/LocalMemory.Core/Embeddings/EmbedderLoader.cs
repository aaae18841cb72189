namespace LocalMemory.Core.Embeddings;

/// <summary>Loads the model once per process on a dedicated thread, so a host can answer before it is ready.</summary>
/// <remarks>
/// A thread-pool task would compete with the host's own start-up on a 2-core machine (assets.md measured
/// <c>initialize</c> delayed until the model was loaded); a long-running task gets its own thread.
/// </remarks>
public sealed class EmbedderLoader(Func<IEmbedder> load, bool ownsEmbedder = true) : IDisposable
{
    private readonly Lazy<Task<IEmbedder>> _task = new(
        () => Task.Factory.StartNew(load, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

    /// <summary>Starts loading in the background if it has not started.</summary>
    public void Start() => _ = _task.Value;

    public Task<IEmbedder> GetAsync(CancellationToken cancellationToken) => _task.Value.WaitAsync(cancellationToken);

    public bool IsLoaded => _task.IsValueCreated && _task.Value.IsCompletedSuccessfully;

    public void Dispose()
    {
        if (ownsEmbedder && IsLoaded && _task.Value.Result is IDisposable disposable) disposable.Dispose();
    }
}
