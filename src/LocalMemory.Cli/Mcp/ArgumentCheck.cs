using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LocalMemory.Cli.Mcp;

/// <summary>Checks a tool call's arguments against the tool's input schema before it runs, so that a wrong type,
/// an unknown or a missing argument gets an error that names it (the SDK would only say "an error occurred").</summary>
internal static class ArgumentCheck
{
    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Filter => next => async (context, cancellationToken) =>
        context.MatchedPrimitive is McpServerTool tool && Problem(tool.ProtocolTool.InputSchema, context.Params?.Arguments) is { } problem
            ? Result.Error($"{tool.ProtocolTool.Name}: {problem}")
            : await next(context, cancellationToken);

    public static string? Problem(JsonElement schema, IDictionary<string, JsonElement>? arguments)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var names = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name).ToList() : [];
        if (schema.TryGetProperty("required", out var required))
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                if (arguments is null || !arguments.ContainsKey(name))
                    return $"missing required argument '{name}'";
        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (!names.Contains(name))
                return $"unknown argument '{Short(name)}'; arguments are {string.Join(", ", names)}";
            var types = Types(properties.GetProperty(name));
            if (types.Count > 0 && !types.Any(t => Fits(t, value)))
                return $"argument '{name}' must be {string.Join(" or ", types.Where(t => t != "null"))}, got {Describe(value)}";
        }
        return null;
    }

    private static List<string> Types(JsonElement property) =>
        !property.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        "number" => value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out _) || value.GetRawText().Contains('.', StringComparison.Ordinal) ? $"the number {Short(value.GetRawText())}" : $"a number out of range ({Short(value.GetRawText())})",
        JsonValueKind.String => "a string",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

internal static class Result
{
    public static CallToolResult Text(string json) => new() { Content = [new TextContentBlock { Text = json }] };

    public static CallToolResult Error(string message) => new() { Content = [new TextContentBlock { Text = message }], IsError = true };
}
