using LocalMemory.Core.Memories;

namespace LocalMemory.Cli.Ui;

/// <summary>Events (background inference included, with its result), entities and projects, stats and doctor.</summary>
internal static class InfoPages
{
    private const int PageSize = 50;

    public static async Task<UiResult> EventsAsync(UiRequest request)
    {
        EventStatus? status = Enum.TryParse<EventStatus>(request.Query("status"), ignoreCase: true, out var s) ? s : null;
        var page = await request.Service.ListEventsAsync(new EventQuery(request.Query("type"), status, request.Query("memory"), request.Query("since"), request.PageNumber, PageSize), request.Aborted);
        var html = new Html().Raw("<form class=\"filters\" method=\"get\" action=\"/ui/events\"><label>Status<select name=\"status\"><option value=\"\">any</option>");
        foreach (var option in Enum.GetNames<EventStatus>())
            html.Raw($"<option{(string.Equals(option, request.Query("status"), StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{option.ToUpperInvariant()}</option>");
        html.Raw($"</select></label><label>Type<input name=\"type\" value=\"{Html.E(request.Query("type"))}\" placeholder=\"ADD, UPDATE, DELETE...\"></label><button>Filter</button></form>")
            .Raw($"<p class=\"muted\">{page.Total} events</p><table><thead><tr><th>When</th><th>Type</th><th>Status</th><th>App</th><th>Took</th><th>Result or error</th></tr></thead><tbody>");
        foreach (var e in page.Results)
            html.Raw($"<tr><td class=\"num\">{Html.E(e.CreatedAt.Replace('T', ' '))}</td><td>{Html.E(e.Type)}</td><td>{e.Status.ToString().ToUpperInvariant()}</td><td>{Html.E(e.AppId)}</td>")
                .Raw($"<td class=\"num\">{(e.DurationMs is { } ms ? $"{ms:0} ms" : "–")}</td><td class=\"memory\">{(e.Error is { } error ? $"<span class=\"error\">{Html.E(error)}</span>" : Html.E(Short(e.Results?.ToJsonString())))}</td></tr>");
        return new UiResult("Events", html.Raw("</tbody></table>").Raw(ListPage.Pager(request, page.PageNumber, (page.Total + PageSize - 1) / PageSize)).ToString(), Section: "Events");
    }

    public static async Task<UiResult> EntitiesAsync(UiRequest request)
    {
        var entities = await request.Service.ListEntitiesAsync(null, request.PageNumber, 100, request.Aborted);
        var stats = await request.Service.StatsAsync(request.Aborted);
        var html = new Html().Raw("<table><thead><tr><th>Type</th><th>Id</th><th>Memories</th><th>First seen</th><th>Last seen</th></tr></thead><tbody>");
        foreach (var e in entities.Results)
            html.Raw($"<tr><td>{e.Type.ToString().ToLowerInvariant()}</td><td>{Link(e)}</td><td class=\"num\">{e.Memories}</td>")
                .Raw($"<td class=\"num\">{Html.E(e.FirstSeen.Replace('T', ' '))}</td><td class=\"num\">{Html.E(e.LastSeen.Replace('T', ' '))}</td></tr>");
        html.Raw("</tbody></table>").Raw(ListPage.Pager(request, entities.PageNumber, (entities.Total + 99) / 100))
            .Raw("<h2>Projects</h2><table><thead><tr><th>User</th><th>Project</th><th>Memories</th></tr></thead><tbody>");
        foreach (var scope in stats.Scopes)
            html.Raw($"<tr><td>{Html.E(scope.UserId)}</td><td><a href=\"{Html.E($"/ui/memories?user={Html.Q(scope.UserId)}&project={Html.Q(scope.Project ?? "global")}")}\">{Html.E(scope.Project ?? "global")}</a></td><td class=\"num\">{scope.Memories}</td></tr>");
        return new UiResult("Entities and projects", html.Raw("</tbody></table>").ToString(), Section: "Entities");
    }

    public static async Task<UiResult> StatsAsync(UiRequest request)
    {
        var stats = await request.Service.StatsAsync(request.Aborted);
        var (checkedAt, checks) = await request.Ui.DoctorAsync(request.Aborted);
        var html = new Html().Raw("<table><tbody>");
        foreach (var (name, value) in new[]
        {
            ("Home", stats.Home), ("Database", $"{stats.Database} ({stats.DatabaseBytes / 1048576.0:0.0} MiB, WAL {stats.WalBytes / 1048576.0:0.0} MiB, schema v{stats.SchemaVersion})"),
            ("Model", stats.Model + (stats.IndexedModel is { } m && m != stats.Model ? $" (memories indexed with {m})" : "")),
            ("Memories", $"{stats.Counts.Memories} (history {stats.Counts.History}, events {stats.Counts.Events})"),
        })
            html.Raw($"<tr><th scope=\"row\">{name}</th><td>{Html.E(value)}</td></tr>");
        html.Raw($"</tbody></table><h2>Doctor</h2><p class=\"muted\">Checked at {checkedAt:HH:mm:ss} UTC (at most once a minute).</p><table><thead><tr><th></th><th>Check</th><th>Finding</th><th>Fix</th></tr></thead><tbody>");
        foreach (var check in checks)
            html.Raw($"<tr><td>{(check.Ok ? "ok" : "<strong class=\"error\">FAIL</strong>")}</td><td>{Html.E(check.Name)}</td><td>{Html.E(check.Detail)}</td><td>{Html.E(check.Fix)}</td></tr>");
        html.Raw("</tbody></table><p class=\"muted\">The model is checked by loading it in <code>localmem doctor</code>; this page reports the running daemon's.</p>");
        return new UiResult("Stats and doctor", html.ToString(), Section: "Stats");
    }

    private static string Link(Entity e) => e.Type switch
    {
        EntityType.User => $"<a href=\"/ui/memories?user={Html.E(Html.Q(e.Id))}\">{Html.E(e.Id)}</a>",
        EntityType.App => $"<a href=\"/ui/memories?app={Html.E(Html.Q(e.Id))}\">{Html.E(e.Id)}</a>",
        _ => Html.E(e.Id),
    };

    private static string Short(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "…";
}
