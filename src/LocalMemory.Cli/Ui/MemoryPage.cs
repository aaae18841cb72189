using System.Text.Json;
using System.Text.Json.Nodes;
using LocalMemory.Core;
using LocalMemory.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace LocalMemory.Cli.Ui;

/// <summary>One memory: its fields, its history (old and new text side by side), edit, and delete after a confirmation.</summary>
internal static class MemoryPage
{
    public static async Task<UiResult> ShowAsync(UiRequest request)
    {
        var memory = await request.Service.GetAsync(request.Route("id"), request.Query("user"), request.Aborted);
        var history = await request.Service.HistoryAsync(memory.Id, request.Aborted);
        var html = new Html().Raw("<table><tbody>");
        foreach (var (name, value) in Fields(memory))
            if (!string.IsNullOrEmpty(value)) html.Raw($"<tr><th scope=\"row\">{name}</th><td class=\"memory\">{Html.E(value)}</td></tr>");
        html.Raw("</tbody></table><h2>Edit</h2>")
            .Raw($"<form method=\"post\" action=\"{Url(memory)}\">").Hidden(UiSessions.CsrfField, request.Csrf)
            .Raw($"<label>Text<textarea name=\"text\" required>{Html.E(memory.Memory)}</textarea></label>")
            .Raw($"<label>Metadata (a JSON object)<textarea name=\"metadata\">{Html.E(memory.Metadata.ToJsonString())}</textarea></label>")
            .Raw("<p><button>Save</button> ")
            .Raw($"<a href=\"{Url(memory, "/delete")}\">Delete…</a></p></form>")
            .Raw("<h2>History</h2><table><thead><tr><th>When</th><th>Change</th><th>By</th><th>Before and after</th></tr></thead><tbody>");
        foreach (var h in history.Reverse())
            html.Raw($"<tr><td class=\"num\">{Html.E(h.CreatedAt.Replace('T', ' '))}</td><td>{h.Event.ToString().ToUpperInvariant()}</td><td>{Html.E(h.AppId)}</td>")
                .Raw($"<td><div class=\"diff\"><div class=\"memory old\">{Html.E(h.OldMemory ?? "–")}</div><div class=\"memory new\">{Html.E(h.NewMemory ?? "–")}</div></div></td></tr>");
        return new UiResult("Memory", html.Raw("</tbody></table>").ToString(), Section: "Memories");
    }

    /// <summary>Saves an edit: new text (re-embedded, the old text kept in history) and metadata.</summary>
    public static async Task<UiResult> EditAsync(UiRequest request)
    {
        var form = await request.Http.Request.ReadFormAsync(request.Aborted);
        var memory = await request.Service.GetAsync(request.Route("id"), request.Query("user"), request.Aborted);
        var text = form["text"].ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        var metadata = Metadata(form["metadata"].ToString());
        await request.Service.UpdateAsync(new UpdateRequest(memory.Id, text == memory.Memory ? null : text,
            metadata is null || metadata.ToJsonString() == memory.Metadata.ToJsonString() ? null : metadata, memory.UserId), UiRequest.Context, request.Aborted);
        return UiResult.SeeOther($"/ui/memory/{Html.Q(memory.Id)}?user={Html.Q(memory.UserId)}");
    }

    public static async Task<UiResult> ConfirmDeleteAsync(UiRequest request)
    {
        var memory = await request.Service.GetAsync(request.Route("id"), request.Query("user"), request.Aborted);
        var html = new Html().Raw($"<p>Delete this memory? Its history is kept.</p><blockquote class=\"memory\">{Html.E(memory.Memory)}</blockquote>")
            .Raw($"<form method=\"post\" action=\"{Url(memory, "/delete")}\">").Hidden(UiSessions.CsrfField, request.Csrf)
            .Raw($"<button class=\"danger\" autofocus>Delete</button> <a href=\"{Url(memory)}\">Keep it</a></form>");
        return new UiResult("Delete memory?", html.ToString(), Section: "Memories");
    }

    public static async Task<UiResult> DeleteAsync(UiRequest request)
    {
        var memory = await request.Service.GetAsync(request.Route("id"), request.Query("user"), request.Aborted);
        await request.Service.DeleteAsync(memory.Id, memory.UserId, UiRequest.Context, request.Aborted);
        return UiResult.SeeOther($"/ui/memories?deleted={Html.Q(memory.Id)}");
    }

    /// <summary>The memory's page (or one under it), for its user, ready for an attribute.</summary>
    private static string Url(MemoryRecord memory, string under = "") => Html.E($"/ui/memory/{Html.Q(memory.Id)}{under}?user={Html.Q(memory.UserId)}");

    private static JsonObject? Metadata(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text) as JsonObject ?? throw LocalMemoryException.Invalid("metadata must be a JSON object"); }
        catch (JsonException e) { throw LocalMemoryException.Invalid($"metadata is not valid JSON: {e.Message}"); }
    }

    private static IEnumerable<(string Name, string? Value)> Fields(MemoryRecord m) =>
    [
        ("Memory", m.Memory), ("Id", m.Id), ("User", m.UserId), ("Agent", m.AgentId), ("App", m.AppId), ("Run", m.RunId),
        ("Project", m.Project ?? "global"), ("Categories", string.Join(", ", m.Categories)),
        ("Metadata", m.Metadata.Count > 0 ? m.Metadata.ToJsonString() : null), ("Source", m.Source.ToJsonString()),
        ("Created", m.CreatedAt), ("Updated", m.UpdatedAt), ("Expires", m.ExpirationDate),
    ];
}
