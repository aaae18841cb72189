using System.Net;
using System.Text;

namespace LocalMemory.Cli.Ui;

/// <summary>Server-rendered HTML: every value goes through <see cref="E"/> (a memory's text is user data), the page
/// has no script at all, and its style comes from /ui/app.css inside the binary.</summary>
internal sealed class Html
{
    private readonly StringBuilder _b = new();

    /// <summary>Text for an element or a quoted attribute, encoded.</summary>
    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>A value for a URL's query.</summary>
    public static string Q(string? value) => Uri.EscapeDataString(value ?? "");

    public Html Raw(string markup)
    {
        _b.Append(markup);
        return this;
    }

    public Html Text(string? value) => Raw(E(value));

    public Html Hidden(string name, string? value) => Raw($"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">");

    public override string ToString() => _b.ToString();

    /// <summary>The page around a body: navigation with access keys, and the stylesheet.</summary>
    public static string Page(string title, string active, string body)
    {
        var nav = new StringBuilder();
        foreach (var (href, label, key) in Sections)
            nav.Append($"<a href=\"{href}\" accesskey=\"{key}\"{(label == active ? " aria-current=\"page\"" : "")}>{label}</a>");
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · localmem</title><link rel="stylesheet" href="/ui/app.css"></head>
            <body><header><strong>localmem</strong><nav aria-label="Sections">{nav}</nav></header>
            <main id="main"><h1>{E(title)}</h1>
            {body}
            </main></body></html>
            """;
    }

    private static readonly (string Href, string Label, char Key)[] Sections =
    [
        ("/ui/", "Search", 's'), ("/ui/memories", "Memories", 'm'), ("/ui/events", "Events", 'e'),
        ("/ui/entities", "Entities", 'n'), ("/ui/stats", "Stats", 't'),
    ];

    /// <summary>Follows the system's light or dark setting; focus is always visible for keyboard use.</summary>
    public const string Css = """
        :root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fdfdfd; --muted: #60606a; --line: #d9d9de; --accent: #0b57d0; --warn: #b3261e; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6e6ea; --bg: #16161a; --muted: #a0a0aa; --line: #33333a; --accent: #8ab4f8; --warn: #f2b8b5; } }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; gap: 1.5rem; align-items: baseline; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); }
        nav { display: flex; gap: 1rem; } nav a[aria-current] { font-weight: 600; text-decoration: underline; }
        main { padding: 0 1.2rem 2rem; max-width: 78rem; }
        a { color: var(--accent); } :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; margin: .8rem 0; } th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
        th { font-weight: 600; color: var(--muted); } td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
        .memory { white-space: pre-wrap; overflow-wrap: anywhere; } .muted { color: var(--muted); } .error { color: var(--warn); }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; } label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
        input, textarea, select, button { font: inherit; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 4px; padding: .3rem .5rem; }
        textarea { width: 100%; min-height: 6rem; } button { cursor: pointer; } button.danger { border-color: var(--warn); color: var(--warn); }
        .pager { display: flex; gap: 1rem; } .diff { display: grid; grid-template-columns: 1fr 1fr; gap: .5rem; }
        """;
}
