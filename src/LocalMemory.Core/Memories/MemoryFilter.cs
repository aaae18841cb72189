using System.Text.Json;
using System.Text.RegularExpressions;

namespace LocalMemory.Core.Memories;

public enum FilterOp { Eq, Ne, Gt, Gte, Lt, Lte, In, Nin, Contains, Icontains }

/// <summary>A parsed, validated filter: <c>{"AND": [...]}</c>, <c>{"OR": [...]}</c>, <c>{"NOT": [...]}</c> over
/// <c>{"field": value}</c> or <c>{"field": {"op": value}}</c> conditions.</summary>
/// <remarks>
/// An object with several keys means all of them. <c>NOT [a, b]</c> means neither a nor b.
/// <c>{"project": null}</c> selects global memories. On <c>categories</c>, eq/ne/in/nin test membership and
/// contains/icontains test a substring of any category.
/// </remarks>
public abstract partial record MemoryFilter
{
    public static readonly IReadOnlyList<string> Fields =
        ["user_id", "agent_id", "app_id", "run_id", "project", "categories", "created_at", "updated_at", "timestamp", "metadata.<key>"];

    private const int MaxDepth = 8;
    private const int MaxConditions = 64;

    public sealed record All(IReadOnlyList<MemoryFilter> Items) : MemoryFilter;

    public sealed record Any(IReadOnlyList<MemoryFilter> Items) : MemoryFilter;

    public sealed record NoneOf(IReadOnlyList<MemoryFilter> Items) : MemoryFilter;

    public sealed record Condition(string Field, FilterOp Op, JsonElement Value) : MemoryFilter;

    /// <summary>True if any condition tests <paramref name="field"/>.</summary>
    public bool Mentions(string field) => this switch
    {
        Condition c => c.Field == field,
        All a => a.Items.Any(i => i.Mentions(field)),
        Any a => a.Items.Any(i => i.Mentions(field)),
        NoneOf n => n.Items.Any(i => i.Mentions(field)),
        _ => false,
    };

    public static MemoryFilter? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Parse(doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw LocalMemoryException.Invalid($"filters are not valid JSON: {e.Message}");
        }
    }

    public static MemoryFilter? Parse(JsonElement? json)
    {
        if (json is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        var count = 0;
        return ParseNode(element, 0, ref count);
    }

    private static MemoryFilter ParseNode(JsonElement element, int depth, ref int count)
    {
        if (depth > MaxDepth) throw LocalMemoryException.Invalid($"filters are nested deeper than {MaxDepth} levels");
        if (element.ValueKind != JsonValueKind.Object)
            throw LocalMemoryException.Invalid($"a filter must be a JSON object, got {Describe(element)}");

        var parts = new List<MemoryFilter>();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "AND" or "OR" or "NOT":
                    if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
                        throw LocalMemoryException.Invalid($"'{property.Name}' takes a non-empty array of filters");
                    var items = new List<MemoryFilter>();
                    foreach (var item in property.Value.EnumerateArray()) items.Add(ParseNode(item, depth + 1, ref count));
                    parts.Add(property.Name switch { "AND" => new All(items), "OR" => new Any(items), _ => new NoneOf(items) });
                    break;
                default:
                    parts.AddRange(ParseField(property.Name, property.Value, ref count));
                    break;
            }
        }
        if (parts.Count == 0) throw LocalMemoryException.Invalid("a filter object must not be empty");
        return parts.Count == 1 ? parts[0] : new All(parts);
    }

    private static List<MemoryFilter> ParseField(string field, JsonElement value, ref int count)
    {
        CheckField(field);
        var conditions = new List<MemoryFilter>();
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var op in value.EnumerateObject())
                conditions.Add(Validate(new Condition(field, ParseOp(field, op.Name), op.Value.Clone())));
            if (conditions.Count == 0) throw LocalMemoryException.Invalid($"the condition on '{field}' has no operator");
        }
        else
        {
            conditions.Add(Validate(new Condition(field, FilterOp.Eq, value.Clone())));
        }
        count += conditions.Count;
        if (count > MaxConditions) throw LocalMemoryException.Invalid($"filters hold more than {MaxConditions} conditions");
        return conditions;
    }

    private static void CheckField(string field)
    {
        if (field.StartsWith("metadata.", StringComparison.Ordinal))
        {
            if (!MetadataKey().IsMatch(field["metadata.".Length..]))
                throw LocalMemoryException.Invalid($"bad metadata key in filter field '{Truncate(field)}': use letters, digits, '_' and '-', with '.' between nested keys");
            return;
        }
        if (!Fields.Contains(field))
            throw LocalMemoryException.Invalid($"unknown filter field '{Truncate(field)}'; fields are {string.Join(", ", Fields)}");
    }

    private static FilterOp ParseOp(string field, string name) => name switch
    {
        "eq" => FilterOp.Eq,
        "ne" => FilterOp.Ne,
        "gt" => FilterOp.Gt,
        "gte" => FilterOp.Gte,
        "lt" => FilterOp.Lt,
        "lte" => FilterOp.Lte,
        "in" => FilterOp.In,
        "nin" => FilterOp.Nin,
        "contains" => FilterOp.Contains,
        "icontains" => FilterOp.Icontains,
        _ => throw LocalMemoryException.Invalid(
            $"unknown operator '{Truncate(name)}' on field '{field}'; operators are eq, ne, gt, gte, lt, lte, in, nin, contains, icontains"),
    };

    private static Condition Validate(Condition c)
    {
        var isMetadata = c.Field.StartsWith("metadata.", StringComparison.Ordinal);
        var isTime = c.Field is "created_at" or "updated_at" or "timestamp";
        if (c.Op is FilterOp.In or FilterOp.Nin)
        {
            if (c.Value.ValueKind != JsonValueKind.Array)
                throw LocalMemoryException.Invalid($"'{Name(c.Op)}' on '{c.Field}' takes an array, got {Describe(c.Value)}");
            foreach (var item in c.Value.EnumerateArray()) CheckScalar(c, item, isMetadata, isTime);
            return c;
        }
        if (c.Op is FilterOp.Contains or FilterOp.Icontains && c.Value.ValueKind != JsonValueKind.String)
            throw LocalMemoryException.Invalid($"'{Name(c.Op)}' on '{c.Field}' takes a string, got {Describe(c.Value)}");
        if (c.Op is FilterOp.Gt or FilterOp.Gte or FilterOp.Lt or FilterOp.Lte && c.Field == "categories")
            throw LocalMemoryException.Invalid($"'{Name(c.Op)}' does not apply to 'categories'; use eq, ne, in, nin, contains or icontains");
        if (c.Value.ValueKind == JsonValueKind.Null && c.Op is not (FilterOp.Eq or FilterOp.Ne))
            throw LocalMemoryException.Invalid($"null only goes with eq or ne (on '{c.Field}')");
        CheckScalar(c, c.Value, isMetadata, isTime);
        return c;
    }

    private static void CheckScalar(Condition c, JsonElement value, bool isMetadata, bool isTime)
    {
        var ok = value.ValueKind switch
        {
            JsonValueKind.String => !isTime || TryTime(value.GetString()!, out _),
            JsonValueKind.Null => !isTime,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => isMetadata,
            _ => false,
        };
        if (!ok)
            throw LocalMemoryException.Invalid(isTime
                ? $"'{c.Field}' takes an ISO 8601 date or time such as 2026-11-01 or 2026-11-01T09:30:00Z, got {Describe(value)}"
                : $"'{c.Field}' takes {(isMetadata ? "a string, number, boolean or null" : "a string")}, got {Describe(value)}");
    }

    /// <summary>Parses a user's date or time; a bare date means midnight UTC.</summary>
    public static bool TryTime(string text, out string timestamp)
    {
        timestamp = "";
        if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var value))
            return false;
        timestamp = Json.Timestamp(value);
        return true;
    }

    public static string Name(FilterOp op) => op.ToString().ToLowerInvariant();

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Truncate(value.GetRawText()),
    };

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,64}(\.[A-Za-z0-9_\-]{1,64}){0,4}$")]
    private static partial Regex MetadataKey();
}
