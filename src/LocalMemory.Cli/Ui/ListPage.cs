using System.Text.Json.Nodes;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Ui;

/// <summary>Every memory, newest first, a page at a time, filtered by project, app, category, date and user.</summary>
internal static class ListPage
{
    private const int PageSize = 50;
    private static readonly (string Name, string Label, string Type)[] Filters =
        [("project", "Project", "text"), ("app", "App", "text"), ("category", "Category", "text"), ("user", "User", "text"), ("from", "From", "date"), ("to", "Before", "date")];

    public static async Task<UiResult> RenderAsync(UiRequest request)
    {
        var html = new Html().Raw("<form class=\"filters\" method=\"get\" action=\"/ui/memories\">");
        foreach (var (name, label, type) in Filters)
            html.Raw($"<label>{label}<input type=\"{type}\" name=\"{name}\" value=\"{Html.E(request.Query(name))}\"></label>");
        html.Raw("<button>Filter</button></form>");
        if (request.Query("deleted") is { } deleted) html.Raw($"<p role=\"status\">Deleted memory {Html.E(deleted)}.</p>");

        var page = await request.Service.ListAsync(new ListRequest
        {
            Scope = new Scope(request.Query("user")),
            Filter = Filter(request),
            AllProjects = true,
            Page = request.PageNumber,
            PageSize = PageSize,
        }, UiRequest.Context, request.Aborted);
        html.Raw($"<p class=\"muted\">{page.Total} memories</p><table><thead><tr><th>Memory</th><th>Project</th><th>App</th><th>Categories</th><th>Created</th></tr></thead><tbody>");
        foreach (var m in page.Results)
            html.Raw($"<tr><td class=\"memory\">{SearchPage.MemoryLink(m)}</td><td>{Html.E(m.Project ?? "global")}</td><td>{Html.E(m.AppId)}</td>")
                .Raw($"<td>{Html.E(string.Join(", ", m.Categories))}</td><td class=\"num\">{Html.E(m.CreatedAt[..Math.Min(16, m.CreatedAt.Length)].Replace('T', ' '))}</td></tr>");
        html.Raw("</tbody></table>").Raw(Pager(request, page.PageNumber, (page.Total + PageSize - 1) / PageSize));
        return new UiResult("Memories", html.ToString(), Section: "Memories");
    }

    /// <summary>The filter fields as localmem's filter language (the same one the tools and the CLI take).</summary>
    private static MemoryFilter? Filter(UiRequest request)
    {
        var all = new JsonArray();
        void Add(string field, JsonNode? condition) => all.Add((JsonNode)new JsonObject { [field] = condition });
        if (request.Query("project") is { } project) Add("project", project == "global" ? null : JsonValue.Create(project)); // null: global memories
        if (request.Query("app") is { } app) Add("app_id", JsonValue.Create(app));
        if (request.Query("category") is { } category) Add("categories", JsonValue.Create(category));
        if (request.Query("from") is { } from) Add("created_at", new JsonObject { ["gte"] = from });
        if (request.Query("to") is { } to) Add("created_at", new JsonObject { ["lt"] = to });
        return all.Count == 0 ? null : MemoryFilter.Parse(new JsonObject { ["AND"] = all }.ToJsonString());
    }

    /// <summary>Previous and next links that keep the other query values.</summary>
    public static string Pager(UiRequest request, int page, long pages)
    {
        string Link(int to, string label, string rel)
        {
            var query = request.Http.Request.Query.Where(q => q.Key != "page" && q.Key != "deleted").Select(q => $"{Html.Q(q.Key)}={Html.Q(q.Value)}").Append($"page={to}");
            return $"<a rel=\"{rel}\" href=\"{Html.E(request.Http.Request.Path + "?" + string.Join("&", query))}\">{label}</a>";
        }
        var html = new Html().Raw("<nav class=\"pager\" aria-label=\"Pages\">");
        if (page > 1) html.Raw(Link(page - 1, "← Previous", "prev"));
        html.Raw($"<span>page {page} of {Math.Max(1, pages)}</span>");
        if (page < pages) html.Raw(Link(page + 1, "Next →", "next"));
        return html.Raw("</nav>").ToString();
    }
}
