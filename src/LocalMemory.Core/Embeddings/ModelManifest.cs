using System.Text.Json;

namespace LocalMemory.Core.Embeddings;

public enum Pooling { Cls, Mean }

public sealed record ModelFile(string Name, string Path, string Sha256, long? Size);

/// <summary>One model's committed manifest (models/NAME.json): where it comes from and how to run it.</summary>
public sealed record ModelManifest(
    string Name,
    string Package,
    string Version,
    IReadOnlyList<ModelFile> Files,
    int Dimension,
    Pooling Pooling,
    string QueryPrefix,
    int MaxTokens)
{
    public string ModelPath => Files.Single(f => f.Name == "model.onnx").Path;

    public string VocabPath => Files.Single(f => f.Name == "vocab.txt").Path;

    public static ModelManifest Parse(string json, string directory)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var files = root.GetProperty("files").EnumerateObject()
            .Select(f => new ModelFile(
                f.Name,
                System.IO.Path.Combine(directory, f.Name),
                f.Value.GetProperty("sha256").GetString()!,
                f.Value.TryGetProperty("size", out var size) ? size.GetInt64() : null))
            .ToList();
        return new ModelManifest(
            root.GetProperty("name").GetString()!,
            root.GetProperty("package").GetString()!,
            root.GetProperty("version").GetString()!,
            files,
            root.GetProperty("dimension").GetInt32(),
            Enum.Parse<Pooling>(root.GetProperty("pooling").GetString()!, ignoreCase: true),
            root.GetProperty("query_prefix").GetString() ?? "",
            root.GetProperty("max_tokens").GetInt32());
    }
}
