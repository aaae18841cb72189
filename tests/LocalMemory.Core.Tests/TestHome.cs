using System.Runtime.CompilerServices;
using LocalMemory.Core.Embeddings;
using LocalMemory.Core.Hosting;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

/// <summary>A unique temporary data directory with a real store, sqlite-vec and the real model; removed on dispose.</summary>
internal sealed class TestHome : IDisposable
{
    private readonly List<MemoryService> _services = [];

    public TestHome(string model = Constants.DefaultModel)
    {
        Home = Directory.CreateTempSubdirectory("localmem-test-").FullName;
        Options = new LocalMemoryOptions { Home = Home, UserId = "alice", Model = model };
    }

    public string Home { get; }

    public LocalMemoryOptions Options { get; }

    /// <summary>A service on this home; the model is loaded once per test run and shared.</summary>
    public MemoryService Open(LocalMemoryOptions? options = null)
    {
        options ??= Options;
        var service = MemoryService.Open(options, Models.Get(options.Model));
        _services.Add(service);
        return service;
    }

    public void Dispose()
    {
        foreach (var service in _services) service.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>The real ONNX models, loaded once per test process. A missing model fails with how to fetch it.</summary>
internal static class Models
{
    private static readonly Dictionary<string, Lazy<OnnxEmbedder>> Loaded = new()
    {
        ["arctic-xs"] = new(() => OnnxEmbedder.Load(Assets.LoadModel(AppContext.BaseDirectory, "arctic-xs"))),
        ["minilm"] = new(() => OnnxEmbedder.Load(Assets.LoadModel(AppContext.BaseDirectory, "minilm"))),
    };

    public static OnnxEmbedder Get(string name) => Loaded[name].Value;
}

internal static class TestEnvironment
{
    /// <summary>Points LOCALMEM_HOME at a temporary folder before any test runs, so nothing here can reach ~/.localmem.</summary>
    [ModuleInitializer]
    internal static void ProtectUserData()
    {
        Environment.SetEnvironmentVariable(Constants.HomeEnvironmentVariable, Path.Combine(Path.GetTempPath(), "localmem-tests-default-home"));
        Environment.SetEnvironmentVariable(Constants.UserEnvironmentVariable, null);
        Environment.SetEnvironmentVariable(Constants.ModelEnvironmentVariable, null);
    }
}

internal static class Context
{
    public static readonly CallContext Global = new("test", null);

    public static CallContext In(string project) => new("test", project);
}
