using System.Text.Json.Nodes;
using CsCheck;
using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

/// <summary>Generated filters, texts and ids thrown at the operations: each call succeeds or fails with a
/// LocalMemoryException (a message for the caller); nothing else escapes, and the store stays intact.</summary>
public sealed class PropertyTests : IDisposable
{
    private readonly TestHome _home = new();

    private static readonly Gen<string> Key = Gen.OneOf<string>(
        "user_id", "agent_id", "app_id", "run_id", "project", "categories", "created_at", "updated_at", "metadata.team", "metadata.a.b",
        "AND", "OR", "NOT", "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "contains", "icontains",
        "colour", "metadata.x'--", "", "metadata.", "like", "'; drop table memories; --");

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf(
        Gen.Const((JsonNode?)null),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.OneOf<string>("2026-11-01", "yesterday", "decision", "x' OR '1'='1", "", "\u0000", "🦀").Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)));

    private static Gen<JsonNode?> Json(int depth) => depth == 0 ? Scalar : Gen.Frequency(
        (3, Scalar),
        (3, Gen.Select(Key, Json(depth - 1)).Array[0, 4].Select(pairs =>
        {
            var o = new JsonObject();
            foreach (var (k, v) in pairs) o[k] = v;
            return (JsonNode?)o;
        })),
        (1, Json(depth - 1).Array[0, 3].Select(items => (JsonNode?)new JsonArray([.. items]))));

    [Fact]
    public async Task Generated_filters_never_escape_as_anything_but_a_message()
    {
        var service = _home.Open();
        await service.AddAsync(new AddRequest { Text = "Postgres is the primary database", Metadata = new() { ["team"] = "data" } }, Context.Global, CancellationToken.None);
        await Json(4).SampleAsync(async filter =>
        {
            try
            {
                var parsed = MemoryFilter.Parse(filter?.ToJsonString());
                await service.ListAsync(new ListRequest { Filter = parsed }, Context.Global, CancellationToken.None);
                await service.SearchAsync(new SearchRequest { Query = "database", Filter = parsed }, Context.Global, CancellationToken.None);
            }
            catch (LocalMemoryException e) when (e.Kind == ErrorKind.InvalidInput)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }, iter: 300);
        Assert.Equal(1, service.Store.Counts().Memories);
        Assert.Equal("ok", service.Store.IntegrityCheck());
    }

    [Fact]
    public async Task Generated_texts_ids_and_pages_never_escape_as_anything_but_a_message()
    {
        var service = _home.Open();
        var text = Gen.OneOf(Gen.String, Gen.Char.Array[0, 40].Select(c => new string(c)), Gen.OneOf<string>("", " ", "\u0000", "\ud800", new string('x', 9000), "ok fine"));
        var id = Gen.OneOf(Gen.Const((string?)null), Gen.String.Select(s => (string?)s), Gen.OneOf<string?>("", "\u0007", new string('u', 300)));
        await Gen.Select(text, id, Gen.Int[-5, 1000], Gen.Int[-5, 1000], (a, b, c, d) => (a, b, c, d)).SampleAsync(async t =>
        {
            var (memory, user, page, size) = t;
            try
            {
                await service.AddAsync(new AddRequest { Text = memory, Scope = new Scope(user, user) }, Context.Global, CancellationToken.None);
            }
            catch (LocalMemoryException e) when (e.Kind == ErrorKind.InvalidInput) { }
            try
            {
                await service.ListAsync(new ListRequest { Page = page, PageSize = size, Scope = new Scope(user) }, Context.Global, CancellationToken.None);
            }
            catch (LocalMemoryException e) when (e.Kind == ErrorKind.InvalidInput) { }
            try
            {
                await service.GetAsync(user ?? "", null, CancellationToken.None);
            }
            catch (LocalMemoryException e) when (e.Kind is ErrorKind.InvalidInput or ErrorKind.NotFound) { }
        }, iter: 150);
        var counts = service.Store.Counts();
        Assert.Equal((counts.Memories, counts.Memories), (counts.Keyword, counts.Vectors));
    }

    public void Dispose() => _home.Dispose();
}
