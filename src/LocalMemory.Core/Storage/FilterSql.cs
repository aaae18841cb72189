using System.Text.Json;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Storage;

/// <summary>Compiles a validated <see cref="MemoryFilter"/> to SQL over the <c>memories m</c> row. Values are always parameters.</summary>
internal static class FilterSql
{
    public static string Compile(MemoryFilter filter, SqlWhere w) => filter switch
    {
        MemoryFilter.All a => Join(a.Items, " and ", w),
        MemoryFilter.Any a => Join(a.Items, " or ", w),
        // A condition on a missing value is false, not unknown: without coalesce, NOT would drop those rows too.
        MemoryFilter.NoneOf n => $"not coalesce({Join(n.Items, " or ", w)}, 0)",
        MemoryFilter.Condition c => Condition(c, w),
        _ => throw new ArgumentOutOfRangeException(nameof(filter)),
    };

    private static string Join(IReadOnlyList<MemoryFilter> items, string op, SqlWhere w) =>
        string.Join(op, items.Select(i => $"({Compile(i, w)})"));

    private static string Condition(MemoryFilter.Condition c, SqlWhere w)
    {
        if (c.Field == "categories") return Categories(c, w);
        var column = c.Field.StartsWith("metadata.", StringComparison.Ordinal)
            ? $"json_extract(m.metadata, {w.Param(MetadataPath(c.Field))})"
            : "m." + c.Field; // a field from MemoryFilter.Fields, checked by the parser
        var isTime = c.Field is "created_at" or "updated_at" or "timestamp";
        object? Value(JsonElement e) => isTime ? Time(e) : Scalar(e);

        switch (c.Op)
        {
            case FilterOp.Eq when c.Value.ValueKind == JsonValueKind.Null: return $"{column} is null";
            case FilterOp.Ne when c.Value.ValueKind == JsonValueKind.Null: return $"{column} is not null";
            case FilterOp.Eq: return $"{column} = {w.Param(Value(c.Value))}";
            case FilterOp.Ne: return $"{column} is not {w.Param(Value(c.Value))}";
            case FilterOp.Gt: return $"{column} > {w.Param(Value(c.Value))}";
            case FilterOp.Gte: return $"{column} >= {w.Param(Value(c.Value))}";
            case FilterOp.Lt: return $"{column} < {w.Param(Value(c.Value))}";
            case FilterOp.Lte: return $"{column} <= {w.Param(Value(c.Value))}";
            case FilterOp.Contains: return $"instr({column}, {w.Param(c.Value.GetString())}) > 0";
            case FilterOp.Icontains: return $"instr(lower({column}), lower({w.Param(c.Value.GetString())})) > 0";
            case FilterOp.In or FilterOp.Nin:
                var items = c.Value.EnumerateArray().ToList();
                var hasNull = items.Any(i => i.ValueKind == JsonValueKind.Null);
                var list = string.Join(", ", items.Where(i => i.ValueKind != JsonValueKind.Null).Select(i => w.Param(Value(i))));
                return c.Op == FilterOp.In
                    ? $"{column} in ({list})" + (hasNull ? $" or {column} is null" : "")
                    : (hasNull ? $"{column} is not null and " : $"{column} is null or ") + $"{column} not in ({list})";
            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }
    }

    private static string Categories(MemoryFilter.Condition c, SqlWhere w)
    {
        string Exists(string test) => $"exists (select 1 from json_each(m.categories) c where {test})";
        string List() => string.Join(", ", c.Value.EnumerateArray().Select(i => w.Param(Scalar(i))));
        return c.Op switch
        {
            FilterOp.Eq => Exists($"c.value = {w.Param(Scalar(c.Value))}"),
            FilterOp.Ne => "not " + Exists($"c.value = {w.Param(Scalar(c.Value))}"),
            FilterOp.In => Exists($"c.value in ({List()})"),
            FilterOp.Nin => "not " + Exists($"c.value in ({List()})"),
            FilterOp.Contains => Exists($"instr(c.value, {w.Param(c.Value.GetString())}) > 0"),
            FilterOp.Icontains => Exists($"instr(lower(c.value), lower({w.Param(c.Value.GetString())})) > 0"),
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }

    /// <summary><c>metadata.a.b</c> becomes the JSON path <c>$."a"."b"</c> (keys were checked to hold no quotes).</summary>
    internal static string MetadataPath(string field) =>
        "$" + string.Concat(field["metadata.".Length..].Split('.').Select(k => $".\"{k}\""));

    private static object? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => 1L,
        JsonValueKind.False => 0L,
        _ => null,
    };

    private static string Time(JsonElement e) =>
        MemoryFilter.TryTime(e.GetString()!, out var t) ? t : throw LocalMemoryException.Invalid($"bad time {e.GetString()}");
}
