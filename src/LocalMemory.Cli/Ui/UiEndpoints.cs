using LocalMemory.Cli.Daemon;
using LocalMemory.Core;
using LocalMemory.Core.Memories;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LocalMemory.Cli.Ui;

/// <summary>The page's routes, all under /ui, on the daemon's loopback listener.</summary>
/// <remarks>Server-rendered: each page is one request that reads a page of rows (never a whole table) and writes HTML,
/// so the binary carries no front-end build and the page works with no script at all.</remarks>
internal static class UiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, Engine engine, UiSessions sessions)
    {
        var ui = new UiContext(engine, sessions);
        app.MapGet("/ui/login", (RequestDelegate)(context => Login(context, sessions)));
        app.MapGet("/ui/app.css", (RequestDelegate)(context => Send(context, Html.Css, "text/css; charset=utf-8")));
        app.MapGet("/ui", Page(ui, SearchPage.RenderAsync)); // and /ui/
        app.MapGet("/ui/memories", Page(ui, ListPage.RenderAsync));
        app.MapGet("/ui/memory/{id}", Page(ui, MemoryPage.ShowAsync));
        app.MapPost("/ui/memory/{id}", Page(ui, MemoryPage.EditAsync));
        app.MapGet("/ui/memory/{id}/delete", Page(ui, MemoryPage.ConfirmDeleteAsync));
        app.MapPost("/ui/memory/{id}/delete", Page(ui, MemoryPage.DeleteAsync));
        app.MapGet("/ui/events", Page(ui, InfoPages.EventsAsync));
        app.MapGet("/ui/entities", Page(ui, InfoPages.EntitiesAsync));
        app.MapGet("/ui/stats", Page(ui, InfoPages.StatsAsync));
    }

    /// <summary>The one-time link from `localmem ui`: spent for a session cookie, then on to the search page.</summary>
    private static Task Login(HttpContext context, UiSessions sessions)
    {
        if (sessions.Redeem(context.Request.Query["token"]) is not { } session)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Send(context, Html.Page("Sign-in link used or expired", "", "<p>Run <code>localmem ui</code> again for a new link.</p>"), "text/html; charset=utf-8");
        }
        context.Response.Cookies.Append(UiSessions.Cookie, session, UiSessions.CookieOptions);
        context.Response.Redirect("/ui/");
        return Task.CompletedTask;
    }

    /// <summary>A page handler with what every page does: its store, errors shown on the page, safe headers.</summary>
    private static RequestDelegate Page(UiContext ui, Func<UiRequest, Task<UiResult>> render) => async context =>
    {
        var request = new UiRequest(context, ui, ui.Engine.For(ui.Engine.Options), ui.Sessions.Csrf(context.Request) ?? "");
        UiResult result;
        try { result = await render(request); }
        catch (LocalMemoryException e)
        {
            result = new UiResult(e.Kind == ErrorKind.NotFound ? "Not found" : "That did not work", $"<p class=\"error\">{Html.E(e.Message)}</p>",
                e.Kind == ErrorKind.NotFound ? StatusCodes.Status404NotFound : e.Kind == ErrorKind.InvalidInput ? StatusCodes.Status400BadRequest : StatusCodes.Status500InternalServerError);
        }
        if (result.Redirect is { } location)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther; // after a write: the browser follows with a GET
            context.Response.Headers.Location = location;
            return;
        }
        context.Response.StatusCode = result.Status;
        await Send(context, Html.Page(result.Title, result.Section, result.Body), "text/html; charset=utf-8");
    };

    private static Task Send(HttpContext context, string body, string type)
    {
        var headers = context.Response.Headers;
        headers.ContentType = type;
        headers.CacheControl = "no-store";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "same-origin"; // with no-referrer, Chromium sends "Origin: null" on the page's own forms
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}

/// <summary>What the page keeps between requests: the daemon's engine, the sessions, and doctor's last report.</summary>
internal sealed class UiContext(Engine engine, UiSessions sessions)
{
    private static readonly TimeSpan DoctorLife = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private Task<(DateTimeOffset At, IReadOnlyList<Core.Diagnostics.Check> Checks)>? _report;

    public Engine Engine { get; } = engine;

    public UiSessions Sessions { get; } = sessions;

    /// <summary>Doctor's report, at most a minute old: its integrity checks read the whole database, too much for every
    /// page view. The model is the daemon's own, loaded and working, so it is not loaded again.</summary>
    public Task<(DateTimeOffset At, IReadOnlyList<Core.Diagnostics.Check> Checks)> DoctorAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_report is null || (_report.IsCompleted && (!_report.IsCompletedSuccessfully || DateTimeOffset.UtcNow - _report.Result.At > DoctorLife)))
                _report = RunDoctorAsync();
            return _report.WaitAsync(cancellationToken);
        }
    }

    private async Task<(DateTimeOffset, IReadOnlyList<Core.Diagnostics.Check>)> RunDoctorAsync() =>
        (DateTimeOffset.UtcNow, await Core.Diagnostics.Doctor.RunAsync(Engine.Options, deep: false, CancellationToken.None, probeModel: false));
}

/// <summary>One request to a page: its query and form, the daemon's memory service, and the session's CSRF token.</summary>
internal sealed record UiRequest(HttpContext Http, UiContext Ui, MemoryService Service, string Csrf)
{
    public static readonly CallContext Context = new("localmem-ui", null);

    public string? Query(string name) => Http.Request.Query[name] is [{ Length: > 0 } value, ..] ? value.Trim() : null;

    public int PageNumber => int.TryParse(Query("page"), out var page) && page > 0 ? page : 1;

    public string Route(string name) => Http.Request.RouteValues[name] as string ?? "";

    public CancellationToken Aborted => Http.RequestAborted;
}

/// <summary>A page (title, section for the navigation, body, status) or a redirect after a write.</summary>
internal sealed record UiResult(string Title, string Body, int Status = StatusCodes.Status200OK, string Section = "", string? Redirect = null)
{
    public static UiResult SeeOther(string location) => new("", "", StatusCodes.Status303SeeOther, Redirect: location);
}
