using System.Collections.Concurrent;
using LocalMemory.Core;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Daemon;

/// <summary>The daemon's memory: one store and one model for every client of the home.</summary>
/// <remarks>Clients may run with another default user or secrets policy than the daemon (their LOCALMEM_* settings
/// travel with each connection), so there is one <see cref="MemoryService"/> per such combination, all sharing the
/// model. A client that wants another model is refused and runs in its own process.</remarks>
internal sealed class Engine : Mcp.IServiceSource, IDisposable
{
    private readonly ConcurrentDictionary<(string User, Core.Security.SecretsMode Secrets), Lazy<MemoryService>> _services = new();
    private readonly SharedEmbedder _embedder;

    public Engine(LocalMemoryOptions options)
    {
        Options = options;
        _embedder = new SharedEmbedder(Assets.LoadModel(options.AssetsDirectory, options.Model));
        _embedder.Start();
        For(options).StartBackgroundWork(); // one worker finishes every user's PENDING events
    }

    public LocalMemoryOptions Options { get; }

    public bool ModelLoaded => _embedder.IsLoaded;

    /// <summary>The service that answers as a process with these options would.</summary>
    public MemoryService For(LocalMemoryOptions client)
    {
        if (!SameHome(client.Home, Options.Home))
            throw LocalMemoryException.Invalid($"this daemon serves {Options.Home}, not {client.Home}");
        if (client.Model != Options.Model)
            throw LocalMemoryException.Invalid($"this daemon runs model '{Options.Model}', the client asks for '{client.Model}'");
        return _services.GetOrAdd((client.UserId, client.Secrets),
            _ => new Lazy<MemoryService>(() => MemoryService.Open(Options with { UserId = client.UserId, Secrets = client.Secrets }, _embedder))).Value;
    }

    public Task<MemoryService> ServiceAsync(LocalMemoryOptions options, CancellationToken cancellationToken) => Task.FromResult(For(options));

    private static bool SameHome(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    public void Dispose()
    {
        foreach (var service in _services.Values.Where(s => s.IsValueCreated)) service.Value.Dispose();
        _embedder.Dispose();
    }

    /// <summary>The model, loading on its own thread from the daemon's start; calls before it is ready wait for it.</summary>
    private sealed class SharedEmbedder(ModelManifest model) : IEmbedder, IDisposable
    {
        private readonly EmbedderLoader _loader = new(() => OnnxEmbedder.Load(model));

        public ModelManifest Model => model;

        public bool IsLoaded => _loader.IsLoaded;

        public void Start() => _loader.Start();

        public float[][] EmbedDocuments(IReadOnlyList<string> texts) => Loaded().EmbedDocuments(texts);

        public float[] EmbedQuery(string query) => Loaded().EmbedQuery(query);

        private IEmbedder Loaded() => _loader.GetAsync(CancellationToken.None).GetAwaiter().GetResult();

        public void Dispose() => _loader.Dispose();
    }
}
