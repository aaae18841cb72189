using System.Text.Json;
using System.Text.Json.Serialization;
using LocalMemory.Cli.Mcp;
using LocalMemory.Core;
using LocalMemory.Core.Diagnostics;
using LocalMemory.Core.Memories;
using ModelContextProtocol;

namespace LocalMemory.Cli.Output;

/// <summary>The JSON that `--json` and the MCP tools write: the core's types plus the shapes below.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = Json.Create(CliJsonContext.Default);

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>What the MCP SDK binds tool arguments and builds tool schemas with: its own types and ours.</summary>
    public static readonly JsonSerializerOptions Mcp = new(McpJsonUtilities.DefaultOptions)
    {
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(CliJsonContext.Default, McpJsonUtilities.DefaultOptions.TypeInfoResolver),
    };

    public static string Serialize<T>(T value, bool indented = false) => Json.Serialize(value, indented ? Indented : Options);
}

/// <summary>A search hit as tools and `search --json` show it: the memory's fields and why it ranked there.</summary>
internal sealed record HitView(
    string Id, string Memory, double Score, string UserId, string? AgentId, string? AppId, string? RunId, string? Project,
    System.Text.Json.Nodes.JsonObject? Metadata, IReadOnlyList<string>? Categories, string CreatedAt, string UpdatedAt, Ranking Ranking);

internal sealed record Ranking(int? Vector, int? Keyword, double Coverage, double Fused);

internal sealed record ResultList<T>(IReadOnlyList<T> Results);

internal sealed record DoctorReport(bool Ok, IReadOnlyList<Check> Checks);

internal sealed record ReindexReport(int Reindexed, string Model);

internal sealed record AddFileReport(int Lines, IReadOnlyDictionary<string, int> Results);

internal sealed record SetupReport(string Client, string Path, bool Changed, string? Backup, bool DryRun);

[JsonSerializable(typeof(ResultList<HitView>))]
[JsonSerializable(typeof(ResultList<HistoryEntry>))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(ReindexReport))]
[JsonSerializable(typeof(AddFileReport))]
[JsonSerializable(typeof(SetupReport))]
[JsonSerializable(typeof(Daemon.DaemonStatusReport))]
[JsonSerializable(typeof(Daemon.DaemonStatus))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
// Tool parameters (MemoryTools), for argument binding and the tools' input schemas.
[JsonSerializable(typeof(ChatMessage[]))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(double?))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
