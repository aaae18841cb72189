using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using LocalMemory.Core.Embeddings;

namespace LocalMemory.Core.Hosting;

/// <summary>Finds the fetched binary assets (model files, sqlite-vec) beside the executable.</summary>
public static class Assets
{
    public const string FetchHint =
        "fetch it with ./install.sh (an installed localmem) or ./scripts/fetch-assets.sh (a source checkout; add --models NAME for another model)";

    public static string HostRid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        return $"{os}-{arch}";
    }

    public static string ModelManifestPath(string assetsDirectory, string model) =>
        Path.Combine(assetsDirectory, "models", model + ".json");

    public static IReadOnlyList<string> AvailableModels(string assetsDirectory)
    {
        var dir = Path.Combine(assetsDirectory, "models");
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).Order().OfType<string>()]
            : [];
    }

    /// <summary>Reads the model's manifest and checks its files are there with the expected size (cheap; doctor checks sha256).</summary>
    public static ModelManifest LoadModel(string assetsDirectory, string model)
    {
        var manifestPath = ModelManifestPath(assetsDirectory, model);
        if (!File.Exists(manifestPath))
        {
            var known = AvailableModels(assetsDirectory);
            throw LocalMemoryException.Invalid(
                $"unknown model '{model}'" + (known.Count > 0 ? $"; available: {string.Join(", ", known)}" : $" (no manifests in {Path.GetDirectoryName(manifestPath)})"));
        }

        var manifest = ModelManifest.Parse(File.ReadAllText(manifestPath), Path.Combine(assetsDirectory, "models", model));
        foreach (var file in manifest.Files)
        {
            var info = new FileInfo(file.Path);
            if (!info.Exists)
                throw LocalMemoryException.System($"model '{model}' is missing {file.Path}; {FetchHint}");
            if (file.Size is { } size && info.Length != size)
                throw LocalMemoryException.System($"model file {file.Path} is {info.Length} bytes, expected {size} (corrupt or partial); {FetchHint}");
        }
        return manifest;
    }

    /// <summary>Absolute path of the sqlite-vec extension for this platform, checked against its sha256.</summary>
    public static string SqliteVecPath(string assetsDirectory)
    {
        var (file, sha) = SqliteVecManifest(assetsDirectory);
        string[] candidates = [Path.Combine(assetsDirectory, file), Path.Combine(assetsDirectory, "runtimes", HostRid(), "native", file)];
        var path = candidates.FirstOrDefault(File.Exists)
            ?? throw LocalMemoryException.System($"the sqlite-vec extension ({file}) is missing from {assetsDirectory}; {FetchHint}");
        if (!Sha256(path).Equals(sha, StringComparison.OrdinalIgnoreCase))
            throw LocalMemoryException.System($"the sqlite-vec extension {path} does not match its sha256 (corrupt or replaced); {FetchHint}");
        return path;
    }

    private static (string File, string Sha256) SqliteVecManifest(string assetsDirectory)
    {
        var path = Path.Combine(assetsDirectory, "sqlite-vec.json");
        if (!File.Exists(path))
            throw LocalMemoryException.System($"sqlite-vec.json is missing from {assetsDirectory}; {FetchHint}");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.GetProperty("platforms").TryGetProperty(HostRid(), out var platform))
            throw LocalMemoryException.System($"sqlite-vec has no prebuilt extension for {HostRid()}");
        return (platform.GetProperty("file").GetString()!, platform.GetProperty("sha256").GetString()!);
    }

    /// <summary>The file's sha256. A long-running process (the daemon's page runs doctor) hashes each file once: the
    /// digest is kept with the file's size and time, and a file that changes is hashed again.</summary>
    public static string Sha256(string path)
    {
        var file = new FileInfo(path);
        var key = (file.FullName, file.Length, file.LastWriteTimeUtc);
        if (Digests.TryGetValue(key, out var known)) return known;
        using var stream = file.OpenRead();
        return Digests[key] = Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, long, DateTime), string> Digests = new();
}
