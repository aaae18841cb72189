using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;
using LocalMemory.Core.Storage;

namespace LocalMemory.Core.Tests;

public sealed class FilterTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private async Task<MemoryService> Seed()
    {
        var service = _home.Open();
        async Task Add(string text, string agent, string[] categories, JsonObject metadata, string? run = null) =>
            await service.AddAsync(new AddRequest { Text = text, Scope = new Scope(AgentId: agent, RunId: run), Categories = categories, Metadata = metadata }, Context.Global, _ct);
        await Add("Postgres is the primary database", "planner", ["decision"], new JsonObject { ["priority"] = 3, ["team"] = "Data", ["reviewed"] = true });
        await Add("any() is banned in TypeScript", "coder", ["constraint", "typescript"], new JsonObject { ["priority"] = 1, ["team"] = "Web" }, run: "r7");
        await Add("The ETL null-date bug was fixed in PR #47", "coder", ["bugfix"], new JsonObject { ["priority"] = 2, ["team"] = "data-eng" });
        return service;
    }

    private static async Task<string[]> Texts(MemoryService service, string filter) =>
        [.. (await service.ListAsync(new ListRequest { Filter = MemoryFilter.Parse(filter) }, Context.Global, CancellationToken.None)).Results.Select(r => r.Memory.Split(' ')[0]).Order()];

    [Theory]
    [InlineData("""{"agent_id": "coder"}""", "The,any()")]
    [InlineData("""{"agent_id": {"eq": "planner"}}""", "Postgres")]
    [InlineData("""{"agent_id": {"ne": "planner"}}""", "The,any()")]
    [InlineData("""{"run_id": null}""", "Postgres,The")]
    [InlineData("""{"run_id": {"ne": null}}""", "any()")]
    [InlineData("""{"metadata.priority": {"gt": 1}}""", "Postgres,The")]
    [InlineData("""{"metadata.priority": {"gte": 2}}""", "Postgres,The")]
    [InlineData("""{"metadata.priority": {"lt": 2}}""", "any()")]
    [InlineData("""{"metadata.priority": {"lte": 2}}""", "The,any()")]
    [InlineData("""{"metadata.team": {"in": ["Data", "Web"]}}""", "Postgres,any()")]
    [InlineData("""{"metadata.team": {"nin": ["Data", "Web"]}}""", "The")]
    [InlineData("""{"metadata.team": {"contains": "ata"}}""", "Postgres,The")]
    [InlineData("""{"metadata.team": {"icontains": "DATA"}}""", "Postgres,The")]
    [InlineData("""{"metadata.reviewed": true}""", "Postgres")]
    [InlineData("""{"categories": "bugfix"}""", "The")]
    [InlineData("""{"categories": {"in": ["decision", "constraint"]}}""", "Postgres,any()")]
    [InlineData("""{"categories": {"nin": ["decision", "constraint"]}}""", "The")]
    [InlineData("""{"categories": {"ne": "bugfix"}}""", "Postgres,any()")]
    [InlineData("""{"categories": {"contains": "script"}}""", "any()")]
    [InlineData("""{"categories": {"icontains": "BUG"}}""", "The")]
    [InlineData("""{"created_at": {"gte": "2000-01-01"}}""", "Postgres,The,any()")]
    [InlineData("""{"created_at": {"lt": "2000-01-01"}}""", "")]
    [InlineData("""{"AND": [{"agent_id": "coder"}, {"metadata.priority": 2}]}""", "The")]
    [InlineData("""{"OR": [{"agent_id": "planner"}, {"run_id": "r7"}]}""", "Postgres,any()")]
    [InlineData("""{"NOT": [{"agent_id": "planner"}, {"run_id": "r7"}]}""", "The")]
    [InlineData("""{"agent_id": "coder", "categories": "bugfix"}""", "The")]
    public async Task Every_operator_selects_the_right_memories(string filter, string expected)
    {
        var service = await Seed();
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), await Texts(service, filter));
    }

    [Fact]
    public async Task Search_applies_filters_exactly_even_when_they_are_narrow()
    {
        var service = await Seed();
        var hits = await service.SearchAsync(new SearchRequest { Query = "database", Filter = MemoryFilter.Parse("""{"categories": "bugfix"}""") }, Context.Global, _ct);
        Assert.Equal(["The ETL null-date bug was fixed in PR #47"], hits.Select(h => h.Memory.Memory));
    }

    [Theory]
    [InlineData("""{"colour": "red"}""", "unknown filter field 'colour'")]
    [InlineData("""{"agent_id": {"like": "x%"}}""", "unknown operator 'like' on field 'agent_id'")]
    [InlineData("""{"agent_id": {"in": "coder"}}""", "'in' on 'agent_id' takes an array")]
    [InlineData("""{"categories": {"gt": "a"}}""", "does not apply to 'categories'")]
    [InlineData("""{"created_at": {"gt": "last tuesday"}}""", "ISO 8601")]
    [InlineData("""{"metadata.x'; drop table memories; --": 1}""", "bad metadata key")]
    [InlineData("""{"AND": []}""", "non-empty array")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{"agent_id": """, "not valid JSON")]
    [InlineData("""{"user_id": {"eq": {"nested": 1}}}""", "takes a string")]
    public void Bad_filters_are_refused_with_a_message_that_names_the_problem(string filter, string message)
    {
        var e = Assert.Throws<LocalMemoryException>(() => MemoryFilter.Parse(filter));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_SQL_binds_every_value_as_a_parameter()
    {
        var where = new SqlWhere();
        var sql = FilterSql.Compile(MemoryFilter.Parse("""{"OR": [{"metadata.team": {"nin": ["a", null]}}, {"categories": "x'y"}]}""")!, where);
        Assert.Equal(
            "(json_extract(m.metadata, @w0) is not null and json_extract(m.metadata, @w0) not in (@w1)) or (exists (select 1 from json_each(m.categories) c where c.value = @w2))",
            sql);
        Assert.Equal(["$.\"team\"", "a", "x'y"], where.Parameters.Select(p => p.Value));
    }

    public void Dispose() => _home.Dispose();
}
