using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LocalMemory.Core.Hosting;

namespace LocalMemory.Cli.Tests;

/// <summary>
/// The asset fetcher (scripts/Assets) reads sqlite-vec's npm tarball over HTTP itself, from the registry it is pointed at,
/// with no node or npm on PATH. The registry here is a loopback one that serves a tarball made from the real extension.
/// </summary>
public sealed class AssetFetchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("localmem-assets-root-").FullName;
    private readonly HttpListener _registry = new();
    private readonly string _registryUrl;
    private byte[] _tarball = [];

    public AssetFetchTests()
    {
        var port = FreePort();
        _registryUrl = $"http://127.0.0.1:{port}/";
        _registry.Prefixes.Add(_registryUrl);
        _registry.Start();
        _ = Task.Run(Serve);
        Directory.CreateDirectory(Path.Combine(_root, "native"));
        File.Copy(Path.Combine(RepoRoot, "native", "sqlite-vec.json"), Path.Combine(_root, "native", "sqlite-vec.json"));
    }

    private static string Rid => Assets.HostRid();
    private static string Extension => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "runtimes", Rid, "native"), "vec0.*").Single();
    private string Target => Path.Combine(_root, "native", Rid, Path.GetFileName(Extension));

    [Fact]
    public async Task Sqlite_vec_comes_from_the_npm_registry_over_http_with_no_node_on_PATH()
    {
        _tarball = Tarball(await File.ReadAllBytesAsync(Extension));
        var result = await Fetch();
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains($"({_registryUrl})", result.Err, StringComparison.Ordinal);
        Assert.Equal(Assets.Sha256(Extension), Assets.Sha256(Target));

        var again = await Fetch(); // present and verified: no download
        Assert.Contains("already present", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tarball_whose_extension_does_not_match_its_sha256_is_refused()
    {
        var bytes = await File.ReadAllBytesAsync(Extension);
        bytes[^1] ^= 0xff;
        _tarball = Tarball(bytes);
        var result = await Fetch();
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("checksum mismatch", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Target));
    }

    private async Task<CliResult> Fetch()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var fetcher = Path.Combine(RepoRoot, "scripts", "Assets", "bin", "Release", "net10.0", "Assets.dll");
        Assert.True(File.Exists(fetcher), $"{fetcher} is missing: build it with dotnet build LocalMemory.sln -c Release (scripts/test.sh does)");
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { fetcher, "--root", _root, "--models", "", "--rid", Rid })
            info.ArgumentList.Add(arg);
        info.Environment["PATH"] = Path.Combine(_root, "nothing-on-path"); // no node, no npm
        info.Environment["LOCALMEM_NPM_REGISTRY"] = _registryUrl;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>An npm registry: package metadata that names the tarball's address, and the tarball.</summary>
    private async Task Serve()
    {
        while (_registry.IsListening)
        {
            HttpListenerContext context;
            try { context = await _registry.GetContextAsync(); }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            var path = context.Request.Url!.AbsolutePath;
            var body = path.EndsWith(".tgz", StringComparison.Ordinal)
                ? _tarball
                : Encoding.UTF8.GetBytes(new JsonObject
                {
                    ["name"] = path[1..],
                    ["versions"] = new JsonObject { ["0.1.9"] = new JsonObject { ["dist"] = new JsonObject { ["tarball"] = $"{_registryUrl}tarballs{path}-0.1.9.tgz" } } },
                }.ToJsonString());
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static byte[] Tarball(byte[] extension)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/" + Path.GetFileName(Extension)) { DataStream = new MemoryStream(extension) });
        return buffer.ToArray();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LocalMemory.sln"))) return dir.FullName;
            throw new InvalidOperationException("cannot find the repository root (LocalMemory.sln) above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        _registry.Close();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
