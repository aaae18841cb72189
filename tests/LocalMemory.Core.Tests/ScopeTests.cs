using LocalMemory.Core.Memories;

namespace LocalMemory.Core.Tests;

/// <summary>No search, list, get or delete crosses users or projects unless the call asks for it.</summary>
public sealed class ScopeTests : IDisposable
{
    private readonly TestHome _home = new();
    private readonly CancellationToken _ct = CancellationToken.None;
    private readonly MemoryService _service;

    public ScopeTests() => _service = _home.Open();

    private async Task<string> Add(string text, CallContext context, string? user = null, bool global = false) =>
        (await _service.AddAsync(new AddRequest { Text = text, Scope = new Scope(UserId: user), Global = global }, context, _ct)).Results[0].Id;

    private async Task<List<string>> Search(string query, CallContext context, string? user = null, bool allProjects = false) =>
        [.. (await _service.SearchAsync(new SearchRequest { Query = query, Scope = new Scope(UserId: user), AllProjects = allProjects }, context, _ct)).Select(h => h.Memory.Memory)];

    [Fact]
    public async Task A_project_sees_its_own_and_global_memories_never_another_projects()
    {
        var a = Context.In("github.com/acme/api");
        var b = Context.In("github.com/acme/web");
        await Add("The api database is Postgres", a);
        await Add("The web database is IndexedDB", b);
        await Add("The user prefers short answers about databases", a, global: true);

        var fromA = await Search("which database", a);
        Assert.Contains("The api database is Postgres", fromA);
        Assert.Contains("The user prefers short answers about databases", fromA);
        Assert.DoesNotContain("The web database is IndexedDB", fromA);

        var outside = await Search("which database", Context.Global);
        Assert.Equal(["The user prefers short answers about databases"], outside);

        Assert.Equal(3, (await Search("which database", a, allProjects: true)).Count);
        Assert.Equal(2, (await _service.ListAsync(new ListRequest(), b, _ct)).Total);
        var filtered = await _service.ListAsync(new ListRequest { Filter = MemoryFilter.Parse("""{"project": "github.com/acme/web"}""") }, a, _ct);
        Assert.Equal(["The web database is IndexedDB"], filtered.Results.Select(r => r.Memory));
    }

    [Fact]
    public async Task Users_never_see_each_others_memories()
    {
        var aliceId = await Add("Alice's laptop runs Fedora", Context.Global);
        await Add("Bob's laptop runs Arch", Context.Global, user: "bob");

        Assert.Equal(["Alice's laptop runs Fedora"], await Search("laptop operating system", Context.Global));
        Assert.Equal(["Bob's laptop runs Arch"], await Search("laptop operating system", Context.Global, user: "bob"));
        var e = await Assert.ThrowsAsync<LocalMemoryException>(() => _service.GetAsync(aliceId, "bob", _ct));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        await Assert.ThrowsAsync<LocalMemoryException>(() => _service.DeleteAsync(aliceId, "bob", Context.Global, _ct));
    }

    [Fact]
    public async Task Delete_all_removes_what_list_shows_and_nothing_else()
    {
        var a = Context.In("github.com/acme/api");
        await Add("api fact one", a);
        await Add("api fact two", a);
        await Add("global fact", a, global: true);
        await Add("web fact", Context.In("github.com/acme/web"));
        await Add("bob's api fact", a, user: "bob");

        var listed = (await _service.ListAsync(new ListRequest(), a, _ct)).Total;
        var deleted = await _service.DeleteAllAsync(new Scope(), a, allProjects: false, _ct);
        Assert.Equal(listed, deleted.Deleted);
        Assert.Equal(3, deleted.Deleted);
        Assert.Equal(["web fact"], (await _service.ListAsync(new ListRequest { AllProjects = true }, a, _ct)).Results.Select(r => r.Memory));
        Assert.Equal(1, (await _service.ListAsync(new ListRequest { Scope = new Scope(UserId: "bob") }, a, _ct)).Total);
    }

    public void Dispose() => _home.Dispose();
}
