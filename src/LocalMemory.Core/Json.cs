using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LocalMemory.Core.Diagnostics;
using LocalMemory.Core.Evaluation;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core;

/// <summary>The one JSON shape of localmem's output: snake_case, no nulls, compact.</summary>
/// <remarks>Serialization is source-generated (<see cref="CoreJsonContext"/>), with no reflection fallback, so the
/// Native AOT build and the JIT build behave the same: a type missing from a context fails in every test run.</remarks>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>localmem's options over the core's types and a host's own (source-generated) ones.</summary>
    public static JsonSerializerOptions Create(params IJsonTypeInfoResolver[] hostTypes) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = JsonTypeInfoResolver.Combine([CoreJsonContext.Default, .. hostTypes]),
        Converters =
        {
            new JsonStringEnumConverter<ChangeKind>(JsonNamingPolicy.SnakeCaseUpper),
            new JsonStringEnumConverter<EventStatus>(JsonNamingPolicy.SnakeCaseUpper),
            new JsonStringEnumConverter<EntityType>(JsonNamingPolicy.SnakeCaseUpper),
        },
    };

    public static string Serialize<T>(T value, bool indented = false) => Serialize(value, indented ? Indented : Options);

    public static string Serialize<T>(T value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, Info<T>(options));

    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Info<T>(Options));

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize(json, Info<T>(Options));

    public static T? Deserialize<T>(JsonNode? node) => node.Deserialize(Info<T>(Options));

    private static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    /// <summary>Timestamps are stored and compared as fixed-width UTC ISO 8601 text, so text order is time order.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Every type the core writes or reads as JSON.</summary>
[JsonSerializable(typeof(MemoryRecord))]
[JsonSerializable(typeof(IReadOnlyList<HistoryEntry>))]
[JsonSerializable(typeof(List<HistoryEntry>))]
[JsonSerializable(typeof(AddInput))]
[JsonSerializable(typeof(AddResult))]
[JsonSerializable(typeof(DeleteResult))]
[JsonSerializable(typeof(DeleteAllResult))]
[JsonSerializable(typeof(EventRecord))]
[JsonSerializable(typeof(Page<MemoryRecord>))]
[JsonSerializable(typeof(Page<EventRecord>))]
[JsonSerializable(typeof(Page<Entity>))]
[JsonSerializable(typeof(StoreStats))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(SyncResult))]
[JsonSerializable(typeof(EvalReport))]
[JsonSerializable(typeof(ExtractionReport))]
[JsonSerializable(typeof(LocomoReport))]
[JsonSerializable(typeof(ObservationReport))]
[JsonSerializable(typeof(IReadOnlyList<Check>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long[]))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
