using System.Globalization;
using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Ui;

/// <summary>Search, with each result's score and why it ranked there (what `search --explain` shows).</summary>
internal static class SearchPage
{
    public static async Task<UiResult> RenderAsync(UiRequest request)
    {
        var query = request.Query("q");
        var project = request.Query("project");
        var html = new Html().Raw("<form role=\"search\" class=\"filters\" method=\"get\" action=\"/ui/\">")
            .Raw($"<label>Search memories<input type=\"search\" name=\"q\" size=\"50\" autofocus value=\"{Html.E(query)}\"></label>")
            .Raw($"<label>Project (empty: all)<input name=\"project\" value=\"{Html.E(project)}\"></label><button>Search</button></form>");
        if (query is null) return new UiResult("Search", html.Raw("<p class=\"muted\">By meaning and by keyword, across every project.</p>").ToString(), Section: "Search");

        var hits = await request.Service.SearchAsync(new SearchRequest
        {
            Query = query,
            Limit = 20,
            AllProjects = true,
            Filter = project is null ? null : MemoryFilter.Parse($$"""{"project": {{System.Text.Json.JsonSerializer.Serialize(project, Output.CliJsonContext.Default.String)}}}"""),
        }, UiRequest.Context, request.Aborted);
        if (hits.Count == 0) return new UiResult("Search", html.Raw("<p>No memory matches.</p>").ToString(), Section: "Search");
        html.Raw("<table><thead><tr><th>#</th><th>Memory</th><th title=\"the sum of the weighted parts: the order\">Fused</th><th title=\"cosine similarity to the query\">Similarity</th>")
            .Raw("<th title=\"rank among the nearest vectors\">Vector</th><th title=\"rank among keyword (BM25) matches\">Keyword</th><th title=\"bm25() for the query's words, relative to the best match\">BM25</th><th title=\"best score of the turns stored around it\">Context</th><th title=\"how well its time fits the time the query names\">Time</th><th>Project</th><th>App</th></tr></thead><tbody>");
        var rank = 0;
        foreach (var hit in hits)
        {
            html.Raw($"<tr><td class=\"num\">{++rank}</td><td class=\"memory\">{MemoryLink(hit.Memory)}</td>")
                .Raw($"<td class=\"num\">{Number(hit.Fused)}</td><td class=\"num\">{Number(hit.Score)}</td>")
                .Raw($"<td class=\"num\">{hit.VectorRank?.ToString(CultureInfo.InvariantCulture) ?? "–"}</td><td class=\"num\">{hit.KeywordRank?.ToString(CultureInfo.InvariantCulture) ?? "–"}</td>")
                .Raw($"<td class=\"num\">{Number(hit.Coverage)}</td><td class=\"num\">{Number(hit.Context)}</td><td class=\"num\">{Number(hit.Time)}</td><td>{Html.E(hit.Memory.Project ?? "global")}</td><td>{Html.E(hit.Memory.AppId)}</td></tr>");
        }
        return new UiResult($"Search: {query}", html.Raw("</tbody></table>").ToString(), Section: "Search");
    }

    public static string MemoryLink(MemoryRecord memory) =>
        $"<a href=\"{Html.E($"/ui/memory/{Html.Q(memory.Id)}?user={Html.Q(memory.UserId)}")}\">{Html.E(memory.Memory)}</a>";

    public static string Number(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
