using System.Text.Json;

namespace LocalMemory.Cli.Mcp;

/// <summary>What `serve` needs to know of a JSON-RPC line it passes along: its id (as raw JSON), its method, and whether
/// it is a response. Anything that is not a JSON object passes through untouched.</summary>
internal readonly record struct JsonRpcLine(string? Id, string? Method, bool IsResponse)
{
    public bool IsRequest => Id is not null && Method is not null;

    public static JsonRpcLine Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return default;
            var id = root.TryGetProperty("id", out var i) && i.ValueKind is JsonValueKind.Number or JsonValueKind.String ? i.GetRawText() : null;
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new JsonRpcLine(id, method, method is null && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The protocol version an initialize request asks for, if this line is one.</summary>
    public static string? InitializeVersion(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out var m) && m.ValueEquals("initialize")
                && root.TryGetProperty("id", out _)
                && root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
